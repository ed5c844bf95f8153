/**
 * An AWS SDK error as a ChannelError: transient when another attempt may succeed (a 5xx, a
 * throttle, a timeout or a connection that failed before any answer), permanent when the
 * request itself is refused (a malformed number, an unverified sender, a disabled endpoint).
 */
import { ChannelError } from '../../domain/errors';

const THROTTLES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'Throttled',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

interface SdkError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isTransient(err: unknown): boolean {
  const e = (err ?? {}) as SdkError;
  if (e.$fault === 'server' || e.$retryable) return true;
  if (e.name && THROTTLES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  // no HTTP answer at all: a timeout or a refused or reset connection
  return status === undefined ? e.$fault === undefined : status >= 500 || status === 429;
}

/** The error's code as the provider names it (the SDK's class name, without its "Exception" suffix). */
export function errorCode(err: unknown): string {
  const name = (err as SdkError)?.name || 'Error';
  return name.endsWith('Exception') && name !== 'Exception' ? name.slice(0, -'Exception'.length) : name;
}

export function toChannelError(err: unknown): ChannelError {
  return new ChannelError(errorCode(err), (err as SdkError)?.message || String(err), isTransient(err), { cause: err });
}
