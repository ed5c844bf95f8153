import { isPermanentStartError } from '../../../../../lambdas/orders/adapters/stepfunctions/saga-executions';
import type { SagaExecutions } from '../../../../../lambdas/orders/domain/ports';
import { startSagas } from '../../../../../lambdas/orders/use-cases/start-saga';
import { placedData, stores, T0 } from '../fixtures';

const record = (seq: string, orderId?: string) => ({ sequenceNumber: seq, placed: orderId ? { orderId, at: T0, data: placedData({ saga_id: `arn:x:${orderId}` }) } : undefined });

const named = (name: string) => Object.assign(new Error(name), { name });

describe('starting sagas from the stream', () => {
  it('starts each placed order once, named by its id, with the saga input; a redelivery finds it started', async () => {
    const { executions } = stores();
    const out = await startSagas(executions, [record('1', 'ord_a'), record('2'), record('3', 'ord_b')], isPermanentStartError);
    expect(out).toEqual({ started: ['ord_a', 'ord_b'], already: [], refused: [], failed: [], retryFrom: undefined });
    expect(executions.executions.get('ord_a')!.input).toMatchObject({ order_id: 'ord_a', user_id: 'user123', total_minor: 59998, fault: null });
    const again = await startSagas(executions, [record('1', 'ord_a')], isPermanentStartError);
    expect(again).toMatchObject({ started: [], already: ['ord_a'] });
  });

  it('resumes from the first start that failed for now; one refused for good does not hold the rest', async () => {
    const { executions } = stores();
    const flaky: SagaExecutions = Object.assign(Object.create(executions), {
      start: async (name: string, input: never) => {
        if (name === 'ord_b') throw named('ServiceUnavailable');
        if (name === 'ord_bad') throw named('InvalidExecutionInput');
        return executions.start(name, input);
      },
    });
    const out = await startSagas(flaky, [record('1', 'ord_a'), record('2', 'ord_bad'), record('3', 'ord_b'), record('4', 'ord_c')], isPermanentStartError);
    expect(out.started).toEqual(['ord_a', 'ord_c']);
    expect(out.refused.map((r) => r.sequenceNumber)).toEqual(['2']);
    expect(out.failed.map((r) => r.sequenceNumber)).toEqual(['3']);
    expect(out.retryFrom).toBe('3');
  });

  it('knows which start errors no retry cures', () => {
    expect(['InvalidName', 'InvalidExecutionInput', 'ValidationException'].every((n) => isPermanentStartError(named(n)))).toBe(true);
    expect(['StateMachineDoesNotExist', 'ThrottlingException', 'TimeoutError'].some((n) => isPermanentStartError(named(n)))).toBe(false);
  });
});
