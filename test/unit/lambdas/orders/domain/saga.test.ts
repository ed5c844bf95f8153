import { BadRequestError } from '../../../../../lambdas/shared/errors';
import { fold } from '../../../../../lambdas/orders/domain/order';
import { executionArn, historyHasFailures, parseSagaFault, reconcileExecutionName, sagaInput, sagaSteps, type SagaHistoryEvent } from '../../../../../lambdas/orders/domain/saga';
import { happyLog, T0 } from '../fixtures';

describe("the saga's input", () => {
  it('is the contract of statemachines/README.md, with fault null when none was asked for', () => {
    expect(sagaInput(fold('ord_1', happyLog(1))!)).toEqual({
      order_id: 'ord_1',
      user_id: 'user123',
      correlation_id: 'corr-1',
      placed_at: T0,
      items: [{ product_id: 'PROD-001', quantity: 2, unit_price_minor: 29999 }],
      total_minor: 59998,
      currency: 'USD',
      payment_method: { card_number: '4242424242424242' },
      fault: null,
    });
  });

  it('carries the order\'s fault, and "mode": "compensate" for the reconciler', () => {
    const log = happyLog(1);
    const withFault = [{ ...log[0]!, data: { ...log[0]!.data, fault: { step: 'confirm', kind: 'crash' } } }] as typeof log;
    const input = sagaInput(fold('ord_1', withFault)!, 'compensate');
    expect(input.fault).toEqual({ step: 'confirm', kind: 'crash' });
    expect(input.mode).toBe('compensate');
  });
});

describe('execution names and ARNs', () => {
  it("are the order id, and the reconciler's numbered compensations", () => {
    const machine = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ecommerce-order-saga';
    expect(executionArn(machine, 'ord_1')).toBe('arn:aws:states:eu-west-1:123456789012:execution:ecommerce-order-saga:ord_1');
    expect(reconcileExecutionName('ord_1', 2)).toBe('ord_1-reconcile-2');
    expect(() => executionArn('arn:aws:lambda:eu-west-1:1:function:x', 'ord_1')).toThrow('not a state machine ARN');
  });
});

describe('the x-saga-fault header', () => {
  it.each([
    ['reserve=error', { step: 'reserve', kind: 'error' }],
    ['payment=delay=5000', { step: 'payment', kind: 'delay=5000' }],
    ['confirm=crash', { step: 'confirm', kind: 'crash' }],
  ])('%s', (spec, fault) => {
    expect(parseSagaFault(spec)).toEqual(fault);
  });

  it.each(['confirm', 'ship=error', 'payment=explode', 'payment=delay=abc', '=crash'])('refuses %s with a 400 naming the header', (spec) => {
    try {
      parseSagaFault(spec);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).details[0]!.field).toBe('x-saga-fault');
    }
  });
});

describe("the steps of an execution's history", () => {
  const t = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
  const entered = (type: string, name: string, s: number): SagaHistoryEvent => ({ type, timestamp: t(s), stateName: name });

  it('lists each Task with its times, attempts and outcome; a caught failure keeps its error', () => {
    const history: SagaHistoryEvent[] = [
      { type: 'ExecutionStarted', timestamp: t(0) },
      entered('ChoiceStateEntered', 'Mode', 0),
      { type: 'ChoiceStateExited', timestamp: t(0), stateName: 'Mode' },
      entered('TaskStateEntered', 'ReserveInventory', 1),
      { type: 'TaskScheduled', timestamp: t(1) },
      { type: 'TaskFailed', timestamp: t(1), error: 'Lambda.ServiceException', cause: 'boom' },
      { type: 'TaskScheduled', timestamp: t(2) },
      { type: 'TaskSucceeded', timestamp: t(2) },
      { type: 'TaskStateExited', timestamp: t(3), stateName: 'ReserveInventory' },
      entered('TaskStateEntered', 'TakePayment', 3),
      { type: 'TaskScheduled', timestamp: t(3) },
      { type: 'TaskFailed', timestamp: t(4), error: 'PaymentDeclinedError', cause: JSON.stringify({ errorType: 'PaymentDeclinedError', errorMessage: 'decline_code=insufficient_funds', trace: [] }) },
      entered('PassStateEntered', 'PaymentFailed', 4),
      entered('TaskStateEntered', 'RecordFailure', 5),
      { type: 'TaskScheduled', timestamp: t(5) },
      { type: 'TaskTimedOut', timestamp: t(15), error: 'States.Timeout', cause: '' },
      { type: 'ExecutionFailed', timestamp: t(15), error: 'States.Timeout' },
    ];
    expect(sagaSteps(history)).toEqual([
      { name: 'ReserveInventory', started_at: t(1), ended_at: t(3), outcome: 'succeeded', attempts: 2, error: null, cause: null },
      { name: 'TakePayment', started_at: t(3), ended_at: t(4), outcome: 'failed', attempts: 1, error: 'PaymentDeclinedError', cause: 'decline_code=insufficient_funds' },
      { name: 'RecordFailure', started_at: t(5), ended_at: t(15), outcome: 'timed_out', attempts: 1, error: 'States.Timeout', cause: null },
    ]);
  });

  it('tells a history read without data that misses failure causes from one that misses nothing', () => {
    const ok: SagaHistoryEvent[] = [
      { type: 'ExecutionStarted', timestamp: t(0) },
      entered('TaskStateEntered', 'ReserveInventory', 1),
      { type: 'TaskScheduled', timestamp: t(1) },
      { type: 'TaskSucceeded', timestamp: t(2) },
      { type: 'TaskStateExited', timestamp: t(2), stateName: 'ReserveInventory' },
      { type: 'ExecutionSucceeded', timestamp: t(3) },
    ];
    expect(historyHasFailures(ok)).toBe(false);
    for (const type of ['TaskFailed', 'LambdaFunctionFailed', 'TaskTimedOut', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']) {
      expect([type, historyHasFailures([...ok.slice(0, 3), { type, timestamp: t(2), error: 'E' }])]).toEqual([type, true]);
    }
  });

  it('shows a step still running, and one cut short by an abort', () => {
    expect(sagaSteps([entered('TaskStateEntered', 'TakePayment', 1), { type: 'TaskScheduled', timestamp: t(1) }])).toEqual([
      { name: 'TakePayment', started_at: t(1), ended_at: null, outcome: 'running', attempts: 1, error: null, cause: null },
    ]);
    expect(sagaSteps([entered('TaskStateEntered', 'TakePayment', 1), { type: 'TaskScheduled', timestamp: t(1) }, { type: 'ExecutionAborted', timestamp: t(9) }])).toEqual([
      { name: 'TakePayment', started_at: t(1), ended_at: t(9), outcome: 'aborted', attempts: 1, error: null, cause: null },
    ]);
  });
});
