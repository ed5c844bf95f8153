/**
 * PaymentMetrics on Powertools Metrics (CloudWatch EMF, namespace Ecommerce, service payments).
 * The original platform's Prometheus series, under CloudWatch's naming:
 *
 * | original                 | CloudWatch metric (unit)            | dimensions                 |
 * | ------------------------ | ----------------------------------- | -------------------------- |
 * | payments_processed_total | PaymentsProcessed (Count)           | status: CAPTURED, DECLINED, FAILED |
 * | payments_failed_total    | PaymentsFailed (Count)              | reason: a decline code, timeout, provider_error, circuit_open, ... |
 * | payment_amounts          | PaymentAmounts (None, minor units)  | currency                   |
 * | circuit_breaker_state    | CircuitBreakerState (None: 0 closed, 1 open, 2 half-open) | — |
 * | (new)                    | PaymentsRefunded (Count)            | —                          |
 *
 * A metric with its own dimensions goes out as a single metric (its own EMF document), so the
 * function-wide dimensions of other metrics stay as they are.
 */
import { METRICS } from '../../shared/metric-names';
import { metrics, MetricUnit } from '../../shared/powertools';
import { CIRCUIT_STATE_VALUE, type CircuitState } from '../domain/circuit';
import type { PaymentMetrics } from '../domain/ports';
import type { PaymentStatus } from '../domain/payment';

function single(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number, dimensions: Record<string, string> = {}): void {
  const m = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) m.addDimension(k, v);
  m.addMetric(name, unit, value);
}

export class PowertoolsPaymentMetrics implements PaymentMetrics {
  processed(status: PaymentStatus, amountMinor: number, currency: string): void {
    single(METRICS.paymentsProcessed.name, MetricUnit.Count, 1, { status });
    if (status === 'CAPTURED') single(METRICS.paymentAmounts.name, MetricUnit.NoUnit, amountMinor, { currency });
  }

  failed(reason: string): void {
    single(METRICS.paymentsFailed.name, MetricUnit.Count, 1, { reason });
  }

  refunded(): void {
    metrics.addMetric('PaymentsRefunded', MetricUnit.Count, 1);
  }

  circuitState(state: CircuitState): void {
    metrics.addMetric(METRICS.circuitBreakerState.name, MetricUnit.NoUnit, CIRCUIT_STATE_VALUE[state]);
  }
}
