import { reconcileAction, type ExecutionInfo, type ExecutionStatus } from '../../../../../lambdas/orders/domain/reconcile';

const limits = { maxRedrives: 2, maxCompensations: 2 };
const exec = (name: string, status: ExecutionStatus, redriveCount = 0): ExecutionInfo => ({ name, executionArn: `arn:x:${name}`, status, redriveCount, startDate: '2026-12-01T10:00:00.000Z' });

describe('what the reconciler does with a stuck order', () => {
  it('starts the saga of a placed order that has none (its start was lost)', () => {
    expect(reconcileAction('ord_1', 'PLACED', [], limits)).toEqual({ kind: 'start', name: 'ord_1' });
  });

  it('compensates an order further on that has no execution', () => {
    expect(reconcileAction('ord_1', 'PAID', [], limits)).toEqual({ kind: 'compensate', name: 'ord_1-reconcile-1' });
  });

  it.each(['RUNNING', 'PENDING_REDRIVE'] as const)('leaves a %s execution', (status) => {
    expect(reconcileAction('ord_1', 'RESERVED', [exec('ord_1', status)], limits)).toEqual({ kind: 'leave', name: 'ord_1' });
  });

  it('redrives a FAILED execution, at most maxRedrives times, then gives up', () => {
    expect(reconcileAction('ord_1', 'COMPENSATING', [exec('ord_1', 'FAILED', 1)], limits)).toEqual({ kind: 'redrive', name: 'ord_1' });
    expect(reconcileAction('ord_1', 'COMPENSATING', [exec('ord_1', 'FAILED', 2)], limits)).toEqual({ kind: 'give_up', name: 'ord_1', why: 'redrives_exhausted' });
  });

  it.each(['ABORTED', 'TIMED_OUT'] as const)('starts a compensating execution after one %s, numbered after the ones before', (status) => {
    expect(reconcileAction('ord_1', 'PAID', [exec('ord_1', status)], limits)).toEqual({ kind: 'compensate', name: 'ord_1-reconcile-1' });
    expect(reconcileAction('ord_1', 'COMPENSATING', [exec('ord_1', 'ABORTED'), exec('ord_1-reconcile-1', status)], limits)).toEqual({ kind: 'compensate', name: 'ord_1-reconcile-2' });
    expect(reconcileAction('ord_1', 'COMPENSATING', [exec('ord_1', 'ABORTED'), exec('ord_1-reconcile-1', 'ABORTED'), exec('ord_1-reconcile-2', status)], limits)).toEqual({
      kind: 'give_up',
      name: 'ord_1-reconcile-2',
      why: 'compensations_exhausted',
    });
  });

  it('redrives a stopped execution of a CONFIRMED order forward rather than cancel it', () => {
    expect(reconcileAction('ord_1', 'CONFIRMED', [exec('ord_1', 'ABORTED')], limits)).toEqual({ kind: 'redrive', name: 'ord_1' });
  });

  it('leaves an order open after its saga succeeded to an operator', () => {
    expect(reconcileAction('ord_1', 'RESERVED', [exec('ord_1', 'SUCCEEDED')], limits)).toEqual({ kind: 'give_up', name: 'ord_1', why: 'saga_ended_order_open' });
  });
});
