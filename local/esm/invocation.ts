/**
 * How a poller invokes its function and tells the outcomes apart, as Lambda's pollers do:
 * - the function ran and failed (an error, a timeout): an attempt, counted against
 *   MaximumRetryAttempts;
 * - Lambda did not run it (throttled: the function's concurrency is 0 or used up): not an
 *   attempt; the poller retries until the records expire, whatever the retry limit.
 */
import type { InvokeResult } from '../lambda';

/** The function failed, or Lambda refused to run it; carries what the on-failure record reports. */
export class FunctionInvocationError extends Error {
  constructor(readonly result: Exclude<InvokeResult, { status: 'ok' }>) {
    super(`${result.errorType}: ${result.errorMessage}`);
    this.name = result.status === 'throttled' ? 'TooManyRequestsException' : 'FunctionInvocationError';
  }

  get requestId(): string {
    return this.result.requestId;
  }

  /** Lambda did not run the function: the attempt does not count. */
  get throttled(): boolean {
    return this.result.status === 'throttled';
  }
}

/** Resolves the function's payload; throws FunctionInvocationError when it did not succeed. */
export async function invokeOrThrow(
  invoke: (fn: string, event: unknown, opts?: { traceHeader?: string }) => Promise<InvokeResult>,
  fn: string,
  event: unknown,
  traceHeader?: string,
): Promise<unknown> {
  const result = traceHeader ? await invoke(fn, event, { traceHeader }) : await invoke(fn, event);
  if (result.status === 'ok') return result.payload;
  throw new FunctionInvocationError(result);
}

export const isThrottle = (err: unknown): boolean => err instanceof FunctionInvocationError && err.throttled;

/**
 * `requestContext` and `responseContext` of an on-failure invocation record, from the last
 * attempt's outcome: a function error or timeout is `"functionError": "Unhandled"` with status
 * 200 (the invoke call itself succeeded); a batch the function answered but reported failed
 * items of has no functionError.
 */
export function invocationContexts(functionArn: string, attempts: number, last: unknown, fallbackRequestId: string) {
  const failure = last instanceof FunctionInvocationError ? last : undefined;
  const responseContext: Record<string, unknown> = { statusCode: failure?.throttled ? 429 : 200, executedVersion: '$LATEST' };
  if (failure && !failure.throttled) responseContext.functionError = 'Unhandled';
  return {
    requestContext: {
      requestId: failure?.requestId ?? fallbackRequestId,
      functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: attempts,
    },
    responseContext,
  };
}
