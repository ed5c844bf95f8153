/**
 * The saga's inventory steps, invoked by Step Functions through one function (`action`):
 * reserve every line of an order or none, release (compensation) and commit. Each is
 * idempotent, so the state machine may retry. See statemachines/README.md for the contract.
 */
import { readFaultInjectionEnabled } from '../../shared/env';
import { applyStepFault, parseInput, taskHandler, taskRouter, type StepFault } from '../../shared/task';
import { METRICS } from '../../shared/metric-names';
import { annotateOrder, metrics, MetricUnit } from '../../shared/powertools';
import { stockRepository } from '../dependencies';
import { reservationTask, reserveTask } from '../schemas';
import { commitOrder, releaseOrder, reserveOrder } from '../use-cases/reservations';

function count(operation: string, outcome: string) {
  const m = metrics.singleMetric();
  m.addDimensions({ operation, status: outcome });
  m.addMetric(METRICS.inventoryOperations.name, MetricUnit.Count, 1);
}

async function counted<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    count(operation, 'success');
    return result;
  } catch (err) {
    count(operation, 'failure');
    throw err;
  }
}

const faultInjection = readFaultInjectionEnabled();

export async function reserve(input: unknown) {
  await applyStepFault((input as { fault?: StepFault } | null)?.fault, 'reserve', faultInjection);
  const { order_id, items } = parseInput(input, reserveTask);
  annotateOrder(order_id);
  const result = await counted('reserve', () => reserveOrder(stockRepository, order_id, items.map((i) => ({ productId: i.product_id, quantity: i.quantity }))));
  // units reserved per product (the original's inventory_reserved_total{product_id}); a repeated step reserves nothing new
  if (result.changed) {
    for (const i of items) {
      const m = metrics.singleMetric();
      m.addDimension('product_id', i.product_id);
      m.addMetric(METRICS.inventoryReserved.name, MetricUnit.Count, i.quantity);
    }
  }
  return result;
}

export async function release(input: unknown) {
  const { order_id } = parseInput(input, reservationTask);
  annotateOrder(order_id);
  return counted('release', () => releaseOrder(stockRepository, order_id));
}

export async function commit(input: unknown) {
  const { order_id } = parseInput(input, reservationTask);
  annotateOrder(order_id);
  return counted('commit', () => commitOrder(stockRepository, order_id));
}

export const handler = taskHandler(taskRouter({ reserve, release, commit }));
