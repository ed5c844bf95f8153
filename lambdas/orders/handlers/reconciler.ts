/**
 * The reconciler, run by an EventBridge schedule every minute: orders not at an end past the
 * deadline are driven to an end (use-cases/reconcile.ts). An operator may invoke it directly with
 * `{"older_than_seconds": N}` to look at younger orders, or `{"order_id": "..."}` for one order
 * now. It also reports active_orders (the orders not at an end) as a metric.
 */
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { parseInput, taskHandler } from '../../shared/task';
import { eventStore, sagaExecutions } from '../dependencies';
import { readReconcilerConfig } from '../env';
import { reconcileInput } from '../schemas';
import { reconcile, type ReconcileReport } from '../use-cases/reconcile';
import { METRICS } from '../../shared/metric-names';

const config = readReconcilerConfig();
const deps = {
  store: eventStore(),
  executions: sagaExecutions(),
  limits: { maxRedrives: config.maxRedrives, maxCompensations: config.maxCompensations },
  deadlineSeconds: config.deadlineSeconds,
  maxOrders: config.batch,
};

const METRIC: Record<string, string> = {
  start: 'ReconcilerSagasStarted',
  compensate: 'ReconcilerCompensations',
  redrive: 'ReconcilerRedrives',
  leave: 'ReconcilerLeftRunning',
  give_up: 'ReconcilerGaveUp',
};

export async function reconcileStuckOrders(input: unknown): Promise<ReconcileReport & { active_orders: number }> {
  const isSchedule = typeof input === 'object' && input !== null && (input as { source?: unknown }).source === 'aws.events';
  const { older_than_seconds, order_id } = isSchedule ? {} : parseInput(input ?? {}, reconcileInput);
  const report = await reconcile(deps, { deadlineSeconds: older_than_seconds, orderId: order_id });
  const counts = new Map<string, number>();
  for (const o of report.orders) {
    const kind = o.error ? 'error' : o.action.kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (o.error) logger.error('reconciling an order failed; the next run tries again', { order_id: o.orderId, status: o.status, action: o.action, error: o.error });
    else if (o.action.kind === 'give_up') logger.error('order left to an operator', { order_id: o.orderId, status: o.status, execution: o.action.name, why: o.action.why });
    else if (o.action.kind !== 'leave') logger.warn('stuck order driven', { order_id: o.orderId, status: o.status, action: o.action.kind, execution: o.action.name });
  }
  for (const [kind, n] of counts) metrics.addMetric(METRIC[kind] ?? 'ReconcilerErrors', MetricUnit.Count, n);
  metrics.addMetric('ReconcilerStuckOrders', MetricUnit.Count, report.examined);
  // active_orders: a gauge, sampled once a minute
  const active = await deps.store.countOpen();
  metrics.addMetric(METRICS.activeOrders.name, MetricUnit.Count, active);
  return { ...report, active_orders: active };
}

export const handler = taskHandler(reconcileStuckOrders);
