/**
 * How a failing channel is retried: a few attempts with exponential backoff and jitter, then the
 * notification is recorded failed. Only transient failures are retried (a provider's 5xx,
 * throttling, a timeout); a refusal that another attempt cannot change (a malformed number, a
 * disabled push endpoint) fails at once.
 */
export interface RetryPolicy {
  /** attempts in all, the first included */
  maxAttempts: number;
  /** the wait before the second attempt; doubled for each one after */
  baseDelayMs: number;
  /** the longest wait between two attempts */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** The wait after failed attempt `attempt` (1-based): half fixed, half random ("equal jitter"). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
