/**
 * The one place where a function's Logger, Tracer and Metrics are created. Service name and
 * metrics namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set per
 * function by the CDK construct, so handlers just import these instances.
 *
 * The logger can find a correlation id in an event by a JMESPath expression (task input carries
 * `correlation_id`); without a search function Powertools ignores `correlationIdPath`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { search } from '@aws-lambda-powertools/logger/correlationId';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ correlationIdSearchFn: search });
export const tracer = new Tracer();
/**
 * Powertools' Metrics, less one warning. Every metric of these functions goes out as a single
 * metric with its own dimensions (`singleMetric()`), so the store that `logMetrics` flushes at the
 * end of an invocation is empty at most invocations' end, and `publishStoredMetrics()` then warns
 * "No application metrics to publish": a line in every invocation's log that says nothing wrong
 * (in AWS as locally; it was most of some functions' log lines). With metrics stored it publishes
 * them as before; without, it clears what the invocation set (dimensions, metadata) as the flush
 * would have, and says nothing. `throwOnEmptyMetrics` is not used here.
 */
class FunctionMetrics extends Metrics {
  override publishStoredMetrics(): this {
    if (this.hasStoredMetrics()) return super.publishStoredMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

export const metrics: Metrics = new FunctionMetrics();

export { MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Ties what follows in this invocation to an order: the `order_id` (and `saga`, the saga
 * execution) annotations on the current trace segment, which find the order's trace
 * (`annotation.order_id = "…"`), and the same keys on every log line after it.
 */
export function annotateOrder(orderId: string, saga?: string): void {
  if (tracer.isTracingEnabled()) {
    tracer.putAnnotation('order_id', orderId);
    if (saga) tracer.putAnnotation('saga', saga);
  }
  logger.appendKeys({ order_id: orderId, ...(saga ? { saga_execution: saga } : {}) });
}
