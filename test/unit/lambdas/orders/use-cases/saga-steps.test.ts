import { OrderStateError, TransientError } from '../../../../../lambdas/orders/domain/errors';
import { appendEvent, MAX_APPEND_ATTEMPTS } from '../../../../../lambdas/orders/use-cases/append';
import { cancelOrder, confirmOrder, recordStep } from '../../../../../lambdas/orders/use-cases/saga-steps';
import { newOrderEvent } from '../../../../../lambdas/orders/domain/events';
import { placed, stores, tickingClock } from '../fixtures';

async function placedOrder() {
  const { store } = stores();
  await appendEvent(store, 'ord_1', () => placed());
  store.outbox.length = 0;
  return store;
}

describe("the saga's Orders steps", () => {
  it('records the happy path; confirm announces order.confirmed with the items the catalog counts', async () => {
    const store = await placedOrder();
    const clock = tickingClock('2026-12-01T10:00:01.000Z');
    expect((await recordStep(store, 'ord_1', 'InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' }, 'c', clock)).order).toMatchObject({ status: 'RESERVED', version: 2 });
    await recordStep(store, 'ord_1', 'PaymentCaptured', { payment_id: 'pay_1', status: 'CAPTURED', amount_minor: 59998, currency: 'USD' }, 'c', clock);
    const confirmed = await confirmOrder(store, 'ord_1', 'c', clock);
    expect(confirmed).toMatchObject({ appended: true, order: { status: 'CONFIRMED', version: 4 } });
    const done = await recordStep(store, 'ord_1', 'InventoryCommitted', { reservation_id: 'ord_1', status: 'COMMITTED' }, 'c', clock);
    expect(done.order).toMatchObject({ status: 'COMPLETED', version: 5 });
    expect(store.outbox.map((e) => e.type)).toEqual(['order.confirmed']);
    expect(store.outbox[0]).toMatchObject({ subject: 'ord_1', source: 'orders', time: '2026-12-01T10:00:03.000Z' });
    expect(store.outbox[0]!.data).toEqual({ order_id: 'ord_1', user_id: 'user123', items: [{ product_id: 'PROD-001', quantity: 2, name: 'Premium Headphones', unit_price_minor: 29999 }], total_minor: 59998, currency: 'USD', confirmed_at: '2026-12-01T10:00:03.000Z' });
    expect(store.logs.get('ord_1')!.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(store.orders.get('ord_1')!.version).toBe(5);
  });

  it('a retried step appends nothing and answers the order as it is', async () => {
    const store = await placedOrder();
    await recordStep(store, 'ord_1', 'InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' });
    const again = await recordStep(store, 'ord_1', 'InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' });
    expect(again).toMatchObject({ appended: false, order: { status: 'RESERVED', version: 2 } });
    expect(store.logs.get('ord_1')).toHaveLength(2);
  });

  it('refuses a step out of order with OrderStateError, and a step of an unknown order', async () => {
    const store = await placedOrder();
    await expect(confirmOrder(store, 'ord_1')).rejects.toBeInstanceOf(OrderStateError);
    await expect(recordStep(store, 'ord_9', 'InventoryReserved', { reservation_id: 'ord_9', status: 'RESERVED' })).rejects.toBeInstanceOf(OrderStateError);
  });

  it('cancels with the reason and announces order.cancelled; a retried cancel keeps the first', async () => {
    const store = await placedOrder();
    const failure = { step: 'reserve', error: 'InsufficientStockError', cause: 'not enough' };
    await recordStep(store, 'ord_1', 'SagaStepFailed', failure);
    await recordStep(store, 'ord_1', 'InventoryReleased', { reservation_id: 'ord_1', status: 'RELEASED' });
    const cancelled = await cancelOrder(store, 'ord_1', failure, 'c', () => '2026-12-01T10:00:09.000Z');
    expect(cancelled.order.status).toBe('CANCELLED');
    expect(cancelled.order.cancellation).toEqual({
      reason: 'out_of_stock',
      message: 'Some items in your order are out of stock, so it was cancelled. You have not been charged.',
      failedStep: 'reserve',
      at: '2026-12-01T10:00:09.000Z',
    });
    expect(store.outbox.map((e) => e.type)).toEqual(['order.cancelled']);
    expect(store.outbox[0]!.data).toMatchObject({ order_id: 'ord_1', reason: 'out_of_stock', failed_step: 'reserve', items: [{ product_id: 'PROD-001', quantity: 2 }] });
    expect((await cancelOrder(store, 'ord_1', { step: 'payment', error: 'CircuitOpenError', cause: '' })).appended).toBe(false);
    expect(store.orders.get('ord_1')!.cancellation!.reason).toBe('out_of_stock');
  });

  it('tells the customer money was refunded when a payment had been captured', async () => {
    const store = await placedOrder();
    await recordStep(store, 'ord_1', 'InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' });
    await recordStep(store, 'ord_1', 'PaymentCaptured', { payment_id: 'pay_1', status: 'CAPTURED' });
    const failure = { step: 'confirm', error: 'InjectedFaultError', cause: '' };
    await recordStep(store, 'ord_1', 'SagaStepFailed', failure);
    await recordStep(store, 'ord_1', 'PaymentRefunded', { status: 'REFUNDED' });
    await recordStep(store, 'ord_1', 'InventoryReleased', { status: 'RELEASED' });
    const { order } = await cancelOrder(store, 'ord_1', failure);
    expect(order.cancellation!.message).toBe('Something went wrong on our side while confirming your order, so your order was cancelled. Any amount charged has been refunded.');
  });
});

describe('appending under contention', () => {
  it('reads again and decides again when another writer appended first', async () => {
    const store = await placedOrder();
    let raced = false;
    store.beforeAppend = async (orderId, version) => {
      if (raced || version !== 1) return;
      raced = true; // another writer takes seq 2 first
      store.beforeAppend = undefined;
      await appendEvent(store, orderId, () => newOrderEvent('SagaStepFailed', { step: 'reserve', error: 'X', cause: '' }, '2026-12-01T10:00:05.000Z'));
    };
    // the reservation is now refused: the order moved to COMPENSATING meanwhile
    await expect(recordStep(store, 'ord_1', 'InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' })).rejects.toBeInstanceOf(OrderStateError);
    expect(store.logs.get('ord_1')!.map((e) => e.type)).toEqual(['OrderPlaced', 'SagaStepFailed']);
  });

  it('gives up with a TransientError when it never wins', async () => {
    const store = await placedOrder();
    let attempts = 0;
    store.beforeAppend = async () => {
      attempts++;
      throw new (await import('../../../../../lambdas/orders/domain/errors')).ConcurrentAppendError('ord_1', 1);
    };
    await expect(recordStep(store, 'ord_1', 'InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' })).rejects.toBeInstanceOf(TransientError);
    expect(attempts).toBe(MAX_APPEND_ATTEMPTS);
  });

  it('20 concurrent writers: every event lands once, seqs 1..21 without a gap', async () => {
    const store = await placedOrder();
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordStep(store, 'ord_1', 'SagaStepFailed', { step: `s${i}`, error: 'X', cause: '' })));
    const log = store.logs.get('ord_1')!;
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(new Set(log.map((e) => e.key)).size).toBe(21);
    expect(store.orders.get('ord_1')!.version).toBe(21);
  });
});
