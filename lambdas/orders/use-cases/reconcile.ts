/**
 * The reconciler's run: every order not at an end, placed before the deadline, is looked at with
 * its executions and driven toward an end (domain/reconcile.ts decides how). One order's failure
 * does not stop the others; the run reports what it did, for metrics and logs.
 */
import { systemClock, type Clock } from '../../shared/clock';
import { fold, isEnded } from '../domain/order';
import type { OrderEventStore, SagaExecutions } from '../domain/ports';
import { reconcileAction, type ReconcileAction, type ReconcileLimits } from '../domain/reconcile';
import { sagaInput } from '../domain/saga';
import { executionChain } from './queries';

export interface ReconcileDeps {
  store: OrderEventStore;
  executions: SagaExecutions;
  limits: ReconcileLimits;
  /** orders placed more than this long ago are looked at */
  deadlineSeconds: number;
  /** at most this many orders a run (the rest wait for the next run) */
  maxOrders: number;
  clock?: Clock;
}

export interface ReconciledOrder {
  orderId: string;
  status: string;
  action: ReconcileAction;
  /** set when carrying the action out failed */
  error?: string;
}

export interface ReconcileReport {
  examined: number;
  orders: ReconciledOrder[];
}

/**
 * 1. list the open orders placed before now - deadline, oldest first;
 * 2. for each, read its log (the index may lag: an order that ended is skipped) and its executions;
 * 3. act: start the saga, start a compensating execution, redrive, leave it, or park it for an
 *    operator (it leaves the reconciler's index until its log moves again).
 */
export async function reconcile(deps: ReconcileDeps, options: { deadlineSeconds?: number; orderId?: string } = {}): Promise<ReconcileReport> {
  const clock = deps.clock ?? systemClock;
  const now = clock();
  const before = new Date(Date.parse(now) - (options.deadlineSeconds ?? deps.deadlineSeconds) * 1000).toISOString();
  // an operator may name one order: it is looked at whatever its age
  const ids = options.orderId ? [options.orderId] : (await deps.store.openOrders(before, deps.maxOrders)).items.map((o) => o.orderId);
  const orders: ReconciledOrder[] = [];
  for (const orderId of ids) {
    const order = fold(orderId, await deps.store.load(orderId));
    if (!order || isEnded(order.status)) continue;
    let action: ReconcileAction = { kind: 'leave', name: orderId };
    try {
      const chain = await executionChain(deps.executions, order.orderId, deps.limits.maxCompensations);
      action = reconcileAction(order.orderId, order.status, chain, deps.limits);
      switch (action.kind) {
        case 'start':
          await deps.executions.start(action.name, sagaInput(order));
          break;
        case 'compensate':
          await deps.executions.start(action.name, sagaInput(order, 'compensate'));
          break;
        case 'redrive':
          await deps.executions.redrive(action.name);
          break;
        case 'give_up':
          await deps.store.park(order.orderId, order.version, action.why, now);
          break;
        case 'leave':
          break;
      }
      orders.push({ orderId: order.orderId, status: order.status, action });
    } catch (err) {
      orders.push({ orderId: order.orderId, status: order.status, action, error: (err as Error).message });
    }
  }
  return { examined: ids.length, orders };
}
