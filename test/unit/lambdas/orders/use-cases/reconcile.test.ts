import { newOrderEvent } from '../../../../../lambdas/orders/domain/events';
import { appendEvent } from '../../../../../lambdas/orders/use-cases/append';
import { reconcile, type ReconcileDeps } from '../../../../../lambdas/orders/use-cases/reconcile';
import { orderStatus } from '../../../../../lambdas/orders/use-cases/queries';
import { placed, stores } from '../fixtures';

const NOW = '2026-12-01T10:10:00.000Z';

async function setup() {
  const { store, executions } = stores();
  const deps: ReconcileDeps = { store, executions, limits: { maxRedrives: 1, maxCompensations: 1 }, deadlineSeconds: 300, maxOrders: 50, clock: () => NOW };
  const place = (orderId: string, placedAt: string) => appendEvent(store, orderId, () => placed({ placed_at: placedAt, saga_id: executions.executionArn(orderId) }));
  return { store, executions, deps, place };
}

describe('the reconciler', () => {
  it('looks only at open orders placed before the deadline', async () => {
    const { deps, place, executions } = await setup();
    await place('ord_old', '2026-12-01T10:04:00.000Z');
    await place('ord_new', '2026-12-01T10:06:00.000Z');
    const report = await reconcile(deps);
    expect(report.examined).toBe(1);
    expect(report.orders).toEqual([{ orderId: 'ord_old', status: 'PLACED', action: { kind: 'start', name: 'ord_old' } }]);
    expect(executions.calls).toEqual(['start ord_old']);
    expect(executions.executions.get('ord_old')!.input).toMatchObject({ order_id: 'ord_old', fault: null, payment_method: { card_number: '4242424242424242' } });
  });

  it('takes an operator\'s shorter deadline', async () => {
    const { deps, place } = await setup();
    await place('ord_new', '2026-12-01T10:09:59.000Z');
    expect((await reconcile(deps, { deadlineSeconds: 0 })).examined).toBe(1);
  });

  it('looks at one named order whatever its age, and not at an order that ended', async () => {
    const { deps, place, store } = await setup();
    await place('ord_new', '2026-12-01T10:09:59.000Z');
    await place('ord_old', '2026-12-01T10:00:00.000Z');
    expect((await reconcile(deps, { orderId: 'ord_new' })).orders).toEqual([{ orderId: 'ord_new', status: 'PLACED', action: { kind: 'start', name: 'ord_new' } }]);
    await appendEvent(store, 'ord_old', () => newOrderEvent('SagaStepFailed', { step: 'reserve', error: 'X', cause: '' }, NOW));
    await appendEvent(store, 'ord_old', () => newOrderEvent('OrderCancelled', { reason: 'out_of_stock', message: 'm', failed_step: 'reserve' }, NOW));
    expect((await reconcile(deps, { orderId: 'ord_old' })).orders).toEqual([]);
  });

  it('compensates a stopped saga, redrives a failed one, leaves a running one', async () => {
    const { deps, place, executions } = await setup();
    for (const id of ['ord_a', 'ord_b', 'ord_c']) {
      await place(id, '2026-12-01T10:00:00.000Z');
      await executions.start(id, {} as never);
    }
    executions.set('ord_a', 'ABORTED');
    executions.set('ord_b', 'FAILED');
    const report = await reconcile(deps);
    expect(Object.fromEntries(report.orders.map((o) => [o.orderId, o.action]))).toEqual({
      ord_a: { kind: 'compensate', name: 'ord_a-reconcile-1' },
      ord_b: { kind: 'redrive', name: 'ord_b' },
      ord_c: { kind: 'leave', name: 'ord_c' },
    });
    expect(executions.executions.get('ord_a-reconcile-1')!.input).toMatchObject({ order_id: 'ord_a', mode: 'compensate' });
    expect(executions.executions.get('ord_b')!.redriveCount).toBe(1);
  });

  it('parks an order it gives up on, so later runs do not look at it until its log moves', async () => {
    const { deps, place, executions, store } = await setup();
    await place('ord_a', '2026-12-01T10:00:00.000Z');
    await executions.start('ord_a', {} as never);
    executions.set('ord_a', 'FAILED', 1);
    const first = await reconcile(deps);
    expect(first.orders[0]!.action).toEqual({ kind: 'give_up', name: 'ord_a', why: 'redrives_exhausted' });
    expect(store.parked.get('ord_a')).toEqual({ version: 1, why: 'redrives_exhausted', at: NOW });
    expect((await reconcile(deps)).examined).toBe(0);
    expect(await store.countOpen()).toBe(0);
    await appendEvent(store, 'ord_a', () => newOrderEvent('SagaStepFailed', { step: 'payment', error: 'X', cause: '' }, NOW));
    expect((await reconcile(deps)).examined).toBe(1);
  });

  it('goes on with the other orders when one fails, and reports the failure', async () => {
    const { deps, place, executions } = await setup();
    await place('ord_a', '2026-12-01T10:00:00.000Z');
    executions.failing = new Error('Step Functions is down');
    const report = await reconcile(deps);
    expect(report.orders).toEqual([{ orderId: 'ord_a', status: 'PLACED', action: { kind: 'leave', name: 'ord_a' }, error: 'Step Functions is down' }]);
  });
});

describe("an order's status", () => {
  it("shows the latest execution and every execution's steps", async () => {
    const { deps, place, executions, store } = await setup();
    await place('ord_a', '2026-12-01T10:00:00.000Z');
    await executions.start('ord_a', {} as never);
    executions.set('ord_a', 'ABORTED');
    executions.histories.set('ord_a', [
      { type: 'TaskStateEntered', timestamp: '2026-12-01T10:00:01.000Z', stateName: 'ReserveInventory' },
      { type: 'TaskScheduled', timestamp: '2026-12-01T10:00:01.000Z' },
      { type: 'ExecutionAborted', timestamp: '2026-12-01T10:00:02.000Z' },
    ]);
    await reconcile(deps);
    const status = await orderStatus(store, executions, 'ord_a', 1);
    expect(status.order.order_id).toBe('ord_a');
    expect(status.saga).toMatchObject({ name: 'ord_a-reconcile-1', status: 'RUNNING', redrive_count: 0 });
    expect(status.executions.map((e) => [e.name, e.status])).toEqual([
      ['ord_a', 'ABORTED'],
      ['ord_a-reconcile-1', 'RUNNING'],
    ]);
    expect(status.steps).toEqual([
      { execution: 'ord_a', name: 'ReserveInventory', started_at: '2026-12-01T10:00:01.000Z', ended_at: '2026-12-01T10:00:02.000Z', outcome: 'aborted', attempts: 1, error: null, cause: null },
    ]);
  });

  it("looks for compensating executions only after a saga that was stopped, timed out or redriven", async () => {
    const { place, executions, store } = await setup();
    await place('ord_a', '2026-12-01T10:00:00.000Z');
    await executions.start('ord_a', {} as never);
    const asked: string[] = [];
    const describe = executions.describe.bind(executions);
    executions.describe = async (name: string) => {
      asked.push(name);
      return describe(name);
    };
    const namesAfter = async (status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT', redriveCount = 0) => {
      executions.set('ord_a', status, redriveCount);
      asked.length = 0;
      await orderStatus(store, executions, 'ord_a', 2);
      return [...asked];
    };
    expect(await namesAfter('RUNNING')).toEqual(['ord_a']);
    expect(await namesAfter('SUCCEEDED')).toEqual(['ord_a']);
    expect(await namesAfter('FAILED')).toEqual(['ord_a']);
    expect(await namesAfter('ABORTED')).toEqual(['ord_a', 'ord_a-reconcile-1']);
    expect(await namesAfter('TIMED_OUT')).toEqual(['ord_a', 'ord_a-reconcile-1']);
    // redriven (by the reconciler, or by hand after a compensation): looked for, and found
    await executions.start('ord_a-reconcile-1', {} as never);
    expect(await namesAfter('RUNNING', 1)).toEqual(['ord_a', 'ord_a-reconcile-1', 'ord_a-reconcile-2']);
    expect((await orderStatus(store, executions, 'ord_a', 2)).executions.map((e) => e.name)).toEqual(['ord_a', 'ord_a-reconcile-1']);
  });

  it('says NOT_STARTED before the saga starts', async () => {
    const { place, executions, store } = await setup();
    await place('ord_a', '2026-12-01T10:00:00.000Z');
    const status = await orderStatus(store, executions, 'ord_a', 1);
    expect(status.saga).toEqual({ execution_arn: executions.executionArn('ord_a'), name: 'ord_a', status: 'NOT_STARTED', started_at: null, stopped_at: null, redrive_count: 0, error: null, cause: null });
    expect(status.steps).toEqual([]);
  });

  it('never shows an ended saga beside an order older than its last step: the saga is read first', async () => {
    const { place, executions, store } = await setup();
    await place('ord_a', '2026-12-01T10:00:00.000Z');
    await executions.start('ord_a', {} as never);
    // the saga's last step and its end land while the status is being read: just after the saga is described
    const describe = executions.describe.bind(executions);
    let finished = false;
    executions.describe = async (name: string) => {
      const seen = await describe(name);
      if (!finished) {
        finished = true;
        await appendEvent(store, 'ord_a', () => newOrderEvent('SagaStepFailed', { step: 'reserve', error: 'X', cause: '' }, NOW));
        await appendEvent(store, 'ord_a', () => newOrderEvent('OrderCancelled', { reason: 'out_of_stock', message: 'm', failed_step: 'reserve' }, NOW));
        executions.set('ord_a', 'SUCCEEDED');
      }
      return seen;
    };
    const status = await orderStatus(store, executions, 'ord_a', 1);
    // the view holds the saga as it was described (still running) and the order read after it (already ended)
    expect([status.saga.status, status.order.status]).toEqual(['RUNNING', 'CANCELLED']);
  });
});
