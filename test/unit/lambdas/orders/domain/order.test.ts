import { CorruptLogError, OrderStateError } from '../../../../../lambdas/orders/domain/errors';
import { newOrderEvent, type NewOrderEvent, type OrderEvent, type OrderEventType } from '../../../../../lambdas/orders/domain/events';
import { apply, decide, fold, ORDER_STATUSES, orderView, TRANSITIONS, type Order, type OrderStatus } from '../../../../../lambdas/orders/domain/order';
import { happyLog, placed, T0 } from '../fixtures';

const at = '2026-12-01T10:05:00.000Z';

/** One event of each type, as the saga would append it. */
const EVENTS: Record<OrderEventType, NewOrderEvent> = {
  OrderPlaced: placed(),
  InventoryReserved: newOrderEvent('InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' }, at),
  PaymentCaptured: newOrderEvent('PaymentCaptured', { payment_id: 'pay_1', status: 'CAPTURED' }, at),
  OrderConfirmed: newOrderEvent('OrderConfirmed', {}, at),
  InventoryCommitted: newOrderEvent('InventoryCommitted', { reservation_id: 'ord_1', status: 'COMMITTED' }, at),
  SagaStepFailed: newOrderEvent('SagaStepFailed', { step: 'payment', error: 'PaymentDeclinedError', cause: 'declined' }, at),
  PaymentRefunded: newOrderEvent('PaymentRefunded', { status: 'REFUNDED' }, at),
  InventoryReleased: newOrderEvent('InventoryReleased', { reservation_id: 'ord_1', status: 'RELEASED' }, at),
  OrderCancelled: newOrderEvent('OrderCancelled', { reason: 'payment_declined', message: 'declined', failed_step: 'payment' }, at),
};

/** An order at `status` (through the saga's own path to it). */
function orderAt(status: OrderStatus): Order {
  const paths: Record<OrderStatus, OrderEventType[]> = {
    PLACED: ['OrderPlaced'],
    RESERVED: ['OrderPlaced', 'InventoryReserved'],
    PAID: ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured'],
    CONFIRMED: ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderConfirmed'],
    COMPLETED: ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderConfirmed', 'InventoryCommitted'],
    COMPENSATING: ['OrderPlaced', 'InventoryReserved', 'SagaStepFailed'],
    CANCELLED: ['OrderPlaced', 'InventoryReserved', 'SagaStepFailed', 'InventoryReleased', 'OrderCancelled'],
  };
  return paths[status].reduce<Order | undefined>((o, t) => apply(o, EVENTS[t], 'ord_1'), undefined)!;
}

describe('the fold of an order log', () => {
  it('follows the happy path to COMPLETED, with a version per event', () => {
    const statuses = [1, 2, 3, 4, 5].map((n) => fold('ord_1', happyLog(n))!.status);
    expect(statuses).toEqual(['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'COMPLETED']);
    const order = fold('ord_1', happyLog(5))!;
    expect(order).toMatchObject({
      orderId: 'ord_1',
      userId: 'user123',
      version: 5,
      totalMinor: 59998,
      currency: 'USD',
      placedAt: T0,
      updatedAt: '2026-12-01T10:00:04.000Z',
      confirmedAt: '2026-12-01T10:00:03.000Z',
      completedAt: '2026-12-01T10:00:04.000Z',
      reservation: { reservationId: 'ord_1', status: 'RESERVED' },
      payment: { paymentId: 'pay_1', status: 'CAPTURED', amountMinor: 59998, currency: 'USD' },
      commit: { status: 'COMMITTED' },
      keys: ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderConfirmed', 'InventoryCommitted'],
    });
  });

  it('is undefined for an empty log', () => {
    expect(fold('ord_1', [])).toBeUndefined();
  });

  it('refuses a log with a gap or a duplicate position', () => {
    const log = happyLog(3);
    expect(() => fold('ord_1', [log[0]!, { ...log[1]!, seq: 3 }])).toThrow(CorruptLogError);
    expect(() => fold('ord_1', [log[0]!, log[0]!])).toThrow(CorruptLogError);
  });

  it('refuses a log that does not start with OrderPlaced', () => {
    const log = happyLog(2);
    expect(() => fold('ord_1', [{ ...log[1]!, seq: 1 } as OrderEvent])).toThrow(OrderStateError);
  });

  it('compensates: a failure, the refund, the release, then CANCELLED with the reason', () => {
    let order = orderAt('PAID');
    order = apply(order, EVENTS.SagaStepFailed);
    expect(order.status).toBe('COMPENSATING');
    expect(order.failures).toEqual([{ step: 'payment', error: 'PaymentDeclinedError', cause: 'declined', at }]);
    order = apply(apply(apply(order, EVENTS.PaymentRefunded), EVENTS.InventoryReleased), EVENTS.OrderCancelled);
    expect(order).toMatchObject({
      status: 'CANCELLED',
      version: 7,
      refund: { status: 'REFUNDED' },
      release: { status: 'RELEASED' },
      cancellation: { reason: 'payment_declined', message: 'declined', failedStep: 'payment', at },
      cancelledAt: at,
    });
  });
});

/** The design's transitions, written out: from which statuses each event is allowed. */
const ALLOWED: Record<OrderEventType, Array<OrderStatus | null>> = {
  OrderPlaced: [null],
  InventoryReserved: ['PLACED'],
  PaymentCaptured: ['RESERVED'],
  OrderConfirmed: ['PAID'],
  InventoryCommitted: ['CONFIRMED'],
  SagaStepFailed: ['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'COMPENSATING'],
  PaymentRefunded: ['COMPENSATING'],
  InventoryReleased: ['COMPENSATING'],
  OrderCancelled: ['COMPENSATING'],
};

describe('the transitions', () => {
  const cases = (Object.keys(ALLOWED) as OrderEventType[]).flatMap((type) => ORDER_STATUSES.map((status) => [type, status] as const));

  it('are the ones of the design', () => {
    expect(TRANSITIONS).toEqual(ALLOWED);
  });

  it.each(cases)('%s from %s', (type, status) => {
    const order = orderAt(status);
    if (ALLOWED[type].includes(status)) {
      const next = apply(order, EVENTS[type]);
      expect(next.version).toBe(order.version + 1);
    } else {
      expect(() => apply(order, EVENTS[type])).toThrow(OrderStateError);
    }
  });

  it('allows only OrderPlaced on an order that does not exist', () => {
    expect(apply(undefined, EVENTS.OrderPlaced, 'ord_1').status).toBe('PLACED');
    for (const type of Object.keys(EVENTS) as OrderEventType[]) {
      if (type !== 'OrderPlaced') expect(() => apply(undefined, EVENTS[type], 'ord_1')).toThrow(OrderStateError);
    }
  });

  it('names the order, its status and the event in the error', () => {
    let err: OrderStateError | undefined;
    try {
      apply(orderAt('COMPLETED'), EVENTS.SagaStepFailed);
    } catch (e) {
      err = e as OrderStateError;
    }
    if (!err) throw new Error('expected an OrderStateError');
    expect(err.name).toBe('OrderStateError');
    expect(err.statusCode).toBe(409);
    expect(err.message).toBe('order ord_1 cannot take SagaStepFailed from COMPLETED');
  });

  it('never leaves an end', () => {
    for (const end of ['COMPLETED', 'CANCELLED'] as const) {
      for (const type of Object.keys(EVENTS) as OrderEventType[]) expect(() => apply(orderAt(end), EVENTS[type])).toThrow(OrderStateError);
    }
  });
});

describe('deciding an event', () => {
  it('appends a new event and leaves a repeated one out (the idempotency key is in the log)', () => {
    const reserved = orderAt('RESERVED');
    const again = decide(reserved, EVENTS.InventoryReserved, 'ord_1');
    expect(again.appended).toBeUndefined();
    expect(again.order).toBe(reserved);
    const next = decide(reserved, EVENTS.PaymentCaptured, 'ord_1');
    expect(next.appended).toBe(EVENTS.PaymentCaptured);
    expect(next.order.status).toBe('PAID');
  });

  it('keys a failure by its step: a second step failing is appended, the same step again is not', () => {
    const failing = apply(orderAt('PAID'), EVENTS.SagaStepFailed);
    expect(decide(failing, EVENTS.SagaStepFailed, 'ord_1').appended).toBeUndefined();
    const reconcile = newOrderEvent('SagaStepFailed', { step: 'reconcile', error: 'SagaStuck', cause: 'stopped' }, at);
    expect(reconcile.key).toBe('SagaStepFailed#reconcile');
    const twice = decide(failing, reconcile, 'ord_1');
    expect(twice.appended).toBe(reconcile);
    expect(twice.order.failures.map((f) => f.step)).toEqual(['payment', 'reconcile']);
  });

  it('refuses a new event the status does not allow', () => {
    expect(() => decide(orderAt('PLACED'), EVENTS.OrderConfirmed, 'ord_1')).toThrow(OrderStateError);
  });
});

describe('the view', () => {
  it('shows the order in snake_case with major units and the card masked', () => {
    const view = orderView(orderAt('CONFIRMED'));
    expect(view).toEqual({
      order_id: 'ord_1',
      user_id: 'user123',
      status: 'CONFIRMED',
      version: 4,
      items: [{ product_id: 'PROD-001', name: 'Premium Headphones', quantity: 2, unit_price: 299.99, unit_price_minor: 29999, line_total_minor: 59998 }],
      total: 599.98,
      total_minor: 59998,
      currency: 'USD',
      payment_method: { type: 'card', last4: '4242' },
      saga_id: 'arn:aws:states:us-east-1:000000000000:execution:ecommerce-order-saga:ord_1',
      placed_at: T0,
      updated_at: at,
      reservation_id: 'ord_1',
      payment_id: 'pay_1',
      confirmed_at: at,
    });
    expect(JSON.stringify(view)).not.toContain('4242424242424242');
  });

  it('shows the last failure and the cancellation', () => {
    const view = orderView(orderAt('CANCELLED'));
    expect(view.failure).toEqual({ step: 'payment', error: 'PaymentDeclinedError', cause: 'declined', at });
    expect(view.cancellation).toEqual({ reason: 'payment_declined', message: 'declined', failed_step: 'payment' });
    expect(view.cancelled_at).toBe(at);
  });
});
