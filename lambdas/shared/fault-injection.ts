/**
 * Failure injection, so that every error path can be driven from outside. Off unless the
 * function's environment says FAULT_INJECTION_ENABLED=true (the local cloud sets it with
 * `--fault-injection`; the CDK app never does). When on, the request header
 * `x-fault-injection` takes one of:
 *   delay=<ms>   the handler sleeps first (drives timeouts)
 *   error        the handler throws an unexpected error (drives 500s and retries)
 *   crash        the execution environment dies (drives Lambda runtime failures)
 */
import type middy from '@middy/core';
import { headerValue } from './headers';

const enabled = process.env.FAULT_INJECTION_ENABLED === 'true';

export class InjectedFaultError extends Error {
  constructor() {
    super('fault injected by request');
    this.name = 'InjectedFaultError';
  }
}

export async function applyFault(spec: string | undefined): Promise<void> {
  if (!enabled || !spec) return;
  const [kind, value] = spec.split('=', 2) as [string, string | undefined];
  if (kind === 'delay') await new Promise((resolve) => setTimeout(resolve, Math.min(Number(value) || 0, 900_000)));
  else if (kind === 'error') throw new InjectedFaultError();
  else if (kind === 'crash') process.exit(137);
}

export const faultInjection = (): middy.MiddlewareObj<{ headers?: Record<string, string | undefined> | null }> => ({
  before: async (request) => {
    if (!enabled) return;
    await applyFault(headerValue(request.event.headers, 'x-fault-injection'));
  },
});
