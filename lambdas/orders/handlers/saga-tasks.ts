/**
 * The saga's Orders steps, invoked by Step Functions through one function (`action`): `record`
 * (what another service's step did), `confirm` and `cancel`. Each answers the order's state after
 * it (`status`, `version`, ...; `cancel`'s has `cancellation.reason`) and is idempotent. Errors
 * keep their class name for the state machine: OrderStateError (refused), TransientError
 * (retried: contention, or DynamoDB failing for a while). See statemachines/README.md.
 */
import { readFaultInjectionEnabled } from '../../shared/env';
import { AppError } from '../../shared/errors';
import { toMajor } from '../../shared/money';
import { annotateOrder, logger, metrics, MetricUnit } from '../../shared/powertools';
import { applyStepFault, parseInput, taskHandler, taskRouter } from '../../shared/task';
import { eventStore } from '../dependencies';
import { TransientError } from '../domain/errors';
import type { OrderEventDataMap, RecordedEventType } from '../domain/events';
import { isEnded, orderView, type Order, type OrderView } from '../domain/order';
import { cancelTask, confirmTask, recordTask } from '../schemas';
import { cancelOrder, confirmOrder, recordStep, type StepResult } from '../use-cases/saga-steps';
import { METRICS } from '../../shared/metric-names';

const store = eventStore();
const faultInjection = readFaultInjectionEnabled();

/**
 * An error of the infrastructure (an AWS SDK error the SDK's own retries did not cure, a
 * network failure) becomes a TransientError, which the state machine retries with backoff; the
 * domain's refusals and anything else keep their own name.
 */
function transient(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const e = err as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; name?: string; code?: string };
  const status = e.$metadata?.httpStatusCode;
  const network = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(e.code ?? '') || e.name === 'TimeoutError';
  if (e.$retryable || (status !== undefined && (status >= 500 || status === 429)) || /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded/.test(e.name ?? '') || network) {
    return new TransientError(`a dependency failed: ${(err as Error).message}`, err);
  }
  return err;
}

/** What every step does around its append: metrics for an order that just ended, and the answer. */
function answer(action: string, result: StepResult): OrderView {
  const m = metrics.singleMetric();
  m.addDimensions({ action, outcome: result.appended ? 'appended' : 'repeated' });
  m.addMetric('OrderSagaSteps', MetricUnit.Count, 1);
  if (result.appended && isEnded(result.order.status)) endedMetrics(result.order);
  return orderView(result.order);
}

/** saga_execution_duration_seconds (placed → ended) and the ends themselves. */
function endedMetrics(order: Order) {
  // one single metric each: a single metric is published (and its dimensions cleared) by its addMetric
  const duration = metrics.singleMetric();
  duration.addDimensions({ outcome: order.status });
  duration.addMetric(METRICS.sagaExecutionDuration.name, MetricUnit.Milliseconds, Math.max(0, Date.parse(order.updatedAt) - Date.parse(order.placedAt)));
  const ended = metrics.singleMetric();
  ended.addDimensions({ outcome: order.status });
  ended.addMetric(METRICS.ordersEnded.name, MetricUnit.Count, 1);
  logger.info('order ended', { order_id: order.orderId, status: order.status, reason: order.cancellation?.reason });
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw transient(err);
  }
}

export async function record(input: unknown): Promise<OrderView> {
  const { order_id, event, correlation_id } = parseInput(input, recordTask);
  annotateOrder(order_id);
  const type = event.type as RecordedEventType;
  const result = await guarded(() => recordStep(store, order_id, type, event.data as OrderEventDataMap[typeof type], correlation_id));
  return answer('record', result);
}

export async function confirm(input: unknown): Promise<OrderView> {
  const { order_id, correlation_id, fault } = parseInput(input, confirmTask);
  annotateOrder(order_id);
  await applyStepFault(fault, 'confirm', faultInjection);
  const result = await guarded(() => confirmOrder(store, order_id, correlation_id));
  if (result.appended) {
    // average order value: CloudWatch's Average of OrderValue, per currency (major units)
    const m = metrics.singleMetric();
    m.addDimensions({ currency: result.order.currency });
    m.addMetric(METRICS.orderValue.name, MetricUnit.NoUnit, toMajor(result.order.totalMinor, result.order.currency));
  }
  return answer('confirm', result);
}

export async function cancel(input: unknown): Promise<OrderView> {
  const { order_id, correlation_id, failure } = parseInput(input, cancelTask);
  annotateOrder(order_id);
  const result = await guarded(() => cancelOrder(store, order_id, failure, correlation_id));
  return answer('cancel', result);
}

export const handler = taskHandler(taskRouter({ record, confirm, cancel }));
