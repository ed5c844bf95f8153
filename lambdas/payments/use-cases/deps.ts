/** What the payment use cases run on: the ports, a clock, a way to wait, and the attempt lease. */
import type { CircuitBreaker, PaymentMetrics, PaymentProvider, PaymentRepository } from '../domain/ports';

export interface PaymentDeps {
  payments: PaymentRepository;
  provider: PaymentProvider;
  breaker: CircuitBreaker;
  metrics: PaymentMetrics;
  /** epoch ms */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * How long an attempt's owner holds the payment (PENDING) before another caller may take it
   * over: longer than a provider call can take (its timeout) plus the writes around it.
   */
  leaseMs: number;
  /** how often a caller waiting for another's attempt looks again (default 100 ms) */
  pollMs?: number;
}

export const systemTime = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

/** Waits while the payment is still at `version`, until `until` (epoch ms); resolves the payment as it then is. */
export async function waitForChange<T extends { version: number }>(deps: PaymentDeps, read: () => Promise<T | undefined>, version: number, until: number): Promise<T | undefined> {
  for (;;) {
    const current = await read();
    if (!current || current.version !== version || deps.now() >= until) return current;
    await deps.sleep(Math.min(deps.pollMs ?? 100, Math.max(1, until - deps.now())));
  }
}
