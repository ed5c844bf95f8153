/**
 * What the reconciler does with an order that is not at an end past its deadline, pure: it looks
 * at the order's executions (the saga, named by the order id, then the compensating ones it
 * started, `<order_id>-reconcile-<n>`) and picks one action that drives the order to an end.
 *
 * | latest execution                  | action                                                        |
 * | --------------------------------- | ------------------------------------------------------------- |
 * | none, order PLACED                | start the saga (its start was lost)                           |
 * | none, order further on            | start a compensating execution                                |
 * | RUNNING (or PENDING_REDRIVE)      | leave it                                                      |
 * | FAILED (a compensation gave up)   | redrive it, at most `maxRedrives` times; then leave it FAILED |
 * | ABORTED or TIMED_OUT              | start a compensating execution, at most `maxCompensations`    |
 * |   ... but the order is CONFIRMED  | redrive it: only committing the stock is left, and cancelling  |
 * |                                   | an order the customer was told is confirmed is worse          |
 * | SUCCEEDED (the order still open)  | nothing the reconciler can do: an operator looks              |
 *
 * Every "give up" is logged and counted for an operator.
 */
import type { OrderStatus } from './order';
import { executionName, reconcileExecutionName } from './saga';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionInfo {
  name: string;
  executionArn: string;
  status: ExecutionStatus;
  redriveCount: number;
  startDate: string;
  stopDate?: string;
  error?: string;
  cause?: string;
}

export interface ReconcileLimits {
  maxRedrives: number;
  maxCompensations: number;
}

export type ReconcileAction =
  | { kind: 'start'; name: string }
  | { kind: 'compensate'; name: string }
  | { kind: 'redrive'; name: string }
  | { kind: 'leave'; name: string }
  | { kind: 'give_up'; name: string; why: 'redrives_exhausted' | 'compensations_exhausted' | 'saga_ended_order_open' };

/** `chain`: the order's executions that exist, the saga first, then reconcile-1, reconcile-2, ... */
export function reconcileAction(orderId: string, status: OrderStatus, chain: ReadonlyArray<ExecutionInfo>, limits: ReconcileLimits): ReconcileAction {
  const compensations = Math.max(0, chain.length - 1);
  const nextCompensation = (): ReconcileAction =>
    compensations < limits.maxCompensations
      ? { kind: 'compensate', name: reconcileExecutionName(orderId, compensations + 1) }
      : { kind: 'give_up', name: chain.at(-1)?.name ?? executionName(orderId), why: 'compensations_exhausted' };
  const redrive = (e: ExecutionInfo): ReconcileAction =>
    e.redriveCount < limits.maxRedrives ? { kind: 'redrive', name: e.name } : { kind: 'give_up', name: e.name, why: 'redrives_exhausted' };

  const latest = chain.at(-1);
  if (!latest) return status === 'PLACED' ? { kind: 'start', name: executionName(orderId) } : nextCompensation();
  switch (latest.status) {
    case 'RUNNING':
    case 'PENDING_REDRIVE':
      return { kind: 'leave', name: latest.name };
    case 'FAILED':
      return redrive(latest);
    case 'ABORTED':
    case 'TIMED_OUT':
      return status === 'CONFIRMED' ? redrive(latest) : nextCompensation();
    case 'SUCCEEDED':
      return { kind: 'give_up', name: latest.name, why: 'saga_ended_order_open' };
  }
}
