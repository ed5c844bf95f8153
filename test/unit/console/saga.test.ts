/** The console's drawing of a saga: the layout from the ASL definition and the path read from a history. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compensationStates, filterExpression, followHistory, layout, type Asl, type HistoryEvent } from '../../../console/src/saga';

const asl = JSON.parse(readFileSync(path.join(__dirname, '../../../statemachines/order-saga.asl.json'), 'utf8')) as Asl;

describe('layout of the order saga', () => {
  const l = layout(asl);
  const at = (name: string) => l.nodes.find((n) => n.name === name)!;

  it('runs the happy path straight down one column and the compensations down another', () => {
    const main = ['ReserveInventory', 'RecordReserved', 'TakePayment', 'RecordPaid', 'ConfirmOrder', 'CommitInventory', 'RecordCommitted', 'PublishConfirmed', 'Confirmed'];
    expect(new Set(main.map((n) => at(n).col))).toEqual(new Set([0]));
    expect(main.map((n) => at(n).rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const comp = ['RecordFailure', 'NeedsRefund', 'RefundPayment', 'RecordRefunded', 'ReleaseInventory', 'RecordReleased', 'CancelOrder', 'PublishCancelled', 'Cancelled'];
    expect(new Set(comp.map((n) => at(n).col))).toEqual(new Set([1]));
    // a compensation comes after every step that can fail into it
    expect(at('RecordFailure').rank).toBeGreaterThan(at('ConfirmationFailed').rank);
    expect(l.nodes).toHaveLength(Object.keys(asl.States).length);
    expect(l.cols).toBe(2);
  });

  it('draws catches as their own edges', () => {
    expect(l.edges).toContainEqual({ from: 'TakePayment', to: 'PaymentFailed', kind: 'catch' });
    expect(l.edges).toContainEqual({ from: 'NeedsRefund', to: 'ReleaseInventory', kind: 'choice' });
    expect(l.edges).toContainEqual({ from: 'NeedsRefund', to: 'RefundPayment', kind: 'next' });
  });

  it('names the compensating states (reached only through a Catch)', () => {
    const c = compensationStates(asl);
    expect(c.has('ReleaseInventory')).toBe(true);
    expect(c.has('RefundPayment')).toBe(true);
    expect(c.has('TakePayment')).toBe(false);
    expect(c.has('Cancelled')).toBe(false);
  });
});

describe('the path an execution took', () => {
  let id = 0;
  const ev = (type: string, details: Record<string, unknown> = {}, t = 1_700_000_000 + id): HistoryEvent => {
    const key = type.endsWith('StateEntered') ? 'stateEnteredEventDetails' : type.endsWith('StateExited') ? 'stateExitedEventDetails' : `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
    return { id: ++id, timestamp: t, type, [key]: details };
  };

  it('marks a caught failure failed, a retried one succeeded, and lists the transitions', () => {
    const p = followHistory([
      ev('ExecutionStarted', { input: '{}' }),
      ev('TaskStateEntered', { name: 'TakePayment', input: '{"a":1}' }, 10),
      ev('TaskFailed', { error: 'PaymentDeclinedError', cause: 'card declined: card_declined' }),
      ev('TaskStateExited', { name: 'TakePayment' }, 12),
      ev('PassStateEntered', { name: 'PaymentFailed' }),
      ev('PassStateExited', { name: 'PaymentFailed', output: '{}' }),
      ev('TaskStateEntered', { name: 'RefundPayment' }),
      ev('TaskFailed', { error: 'PaymentProviderError' }),
      ev('TaskSucceeded', { output: '{"status":"REFUNDED"}' }),
      ev('TaskStateExited', { name: 'RefundPayment', output: '{"status":"REFUNDED"}' }),
      ev('ExecutionSucceeded', { output: '{}' }),
    ]);
    expect(p.steps.map((s) => [s.name, s.status])).toEqual([
      ['TakePayment', 'failed'],
      ['PaymentFailed', 'succeeded'],
      ['RefundPayment', 'succeeded'],
    ]);
    expect(p.steps[0]).toMatchObject({ error: 'PaymentDeclinedError', cause: 'card declined: card_declined', input: '{"a":1}', entered: 10_000, exited: 12_000 });
    expect(p.steps[2]).toMatchObject({ attempts: 1, error: 'PaymentProviderError (retried)', output: '{"status":"REFUNDED"}' });
    expect(p.taken).toEqual([
      { from: 'TakePayment', to: 'PaymentFailed' },
      { from: 'PaymentFailed', to: 'RefundPayment' },
    ]);
    expect(p.failure).toBeUndefined();
  });

  it('records the execution failure and the step it stopped in', () => {
    const p = followHistory([ev('TaskStateEntered', { name: 'ReleaseInventory' }), ev('TaskFailed', { error: 'States.TaskFailed' }), ev('ExecutionFailed', { error: 'States.TaskFailed', cause: 'gave up' })]);
    expect(p.steps[0]!.status).toBe('failed');
    expect(p.failure).toEqual({ error: 'States.TaskFailed', cause: 'gave up' });
  });
});

describe('trace search', () => {
  it('builds X-Ray filter expressions from the form', () => {
    expect(filterExpression({ order: 'ord_1', service: 'orders-api', errors: true })).toBe('annotation.order_id = "ord_1" AND service("orders-api") AND (error OR fault)');
    expect(filterExpression({ order: 'a"b' })).toBe('annotation.order_id = "ab"');
    expect(filterExpression({})).toBeUndefined();
  });
});
