/**
 * Failure injection, so that every error path can be driven from outside. Off unless the
 * function's environment says FAULT_INJECTION_ENABLED=true (the local cloud sets it with
 * `--fault-injection`; the CDK app never does). When on, the request header
 * `x-fault-injection` takes one of:
 *   delay=<ms>   the handler sleeps first (drives timeouts; at most 15 minutes)
 *   error        the handler throws an unexpected error (drives 500s and retries)
 *   crash        the execution environment dies (drives Lambda runtime failures)
 */
import type middy from '@middy/core';
import { readFaultInjectionEnabled } from '../env';
import { InjectedFaultError } from '../errors';
import { headerValue, type Headers } from '../headers';

export interface FaultInjectionOptions {
  /** default: the function's FAULT_INJECTION_ENABLED, read when the stack is built */
  enabled?: boolean;
  /** the request header that names the fault (default `x-fault-injection`) */
  header?: string;
}

const MAX_DELAY_MS = 900_000;

/** Applies the fault a spec names (see above); does nothing when injection is off or no fault is named. */
export async function applyFault(spec: string | undefined, enabled: boolean): Promise<void> {
  if (!enabled || !spec) return;
  const [kind, value] = spec.split('=', 2) as [string, string | undefined];
  if (kind === 'delay') await new Promise((resolve) => setTimeout(resolve, Math.min(Number(value) || 0, MAX_DELAY_MS)));
  else if (kind === 'error') throw new InjectedFaultError();
  else if (kind === 'crash') process.exit(137);
}

export function faultInjection(options: FaultInjectionOptions = {}): middy.MiddlewareObj<{ headers?: Headers }> {
  const enabled = options.enabled ?? readFaultInjectionEnabled();
  const header = options.header ?? 'x-fault-injection';

  const faultInjectionBefore = async (request: middy.Request<{ headers?: Headers }>): Promise<void> => {
    if (!enabled) return;
    await applyFault(headerValue(request.event.headers, header), enabled);
  };

  return { name: 'faultInjection', before: faultInjectionBefore };
}
