/**
 * The use cases' dependencies, in memory, on a clock only the tests move: a caller waiting for
 * another's attempt polls (a real millisecond per look) until the other one writes, never
 * because time ran out behind the test's back.
 */
import { InMemoryCircuitBreaker } from '../../../../../lambdas/payments/adapters/in-memory/circuit-breaker';
import { InMemoryPaymentProvider } from '../../../../../lambdas/payments/adapters/in-memory/payment-provider';
import { InMemoryPaymentRepository } from '../../../../../lambdas/payments/adapters/in-memory/payment-repository';
import type { PaymentMetrics } from '../../../../../lambdas/payments/domain/ports';
import type { PaymentDeps } from '../../../../../lambdas/payments/use-cases/deps';

export function world(start = Date.parse('2026-12-01T10:00:00Z')) {
  const clock = { t: start };
  const recorded: string[] = [];
  /** how many times a caller waiting for another's attempt has looked (so a test knows one waits) */
  const waits = { count: 0 };
  const metrics: PaymentMetrics = {
    processed: (status, amount, currency) => recorded.push(`processed ${status} ${amount} ${currency}`),
    failed: (reason) => recorded.push(`failed ${reason}`),
    refunded: (amount, currency) => recorded.push(`refunded ${amount} ${currency}`),
    circuitState: (state) => recorded.push(`circuit ${state}`),
  };
  const payments = new InMemoryPaymentRepository();
  const provider = new InMemoryPaymentProvider();
  const breaker = new InMemoryCircuitBreaker({ failureThreshold: 5, openMs: 60_000, trialTimeoutMs: 10_000 }, () => clock.t);
  const deps: PaymentDeps = {
    payments,
    provider,
    breaker,
    metrics,
    now: () => clock.t,
    sleep: () => {
      waits.count++;
      return new Promise((r) => setTimeout(r, 1));
    },
    leaseMs: 10_000,
  };
  return { deps, payments, provider, breaker, clock, recorded, waits };
}
