import { cancelTask, confirmTask, placeOrderBody, recordTask } from '../../../../lambdas/orders/schemas';
import { zodDetails } from '../../../../lambdas/shared/validation';

const fields = (input: unknown) => {
  const r = placeOrderBody.safeParse(input);
  return r.success ? [] : zodDetails(r.error).map((d) => d.field);
};

describe('the order body', () => {
  it("takes the original's payload, and a payment method", () => {
    expect(placeOrderBody.parse({ user_id: 'user123', items: [{ product_id: 'PROD-001', quantity: 2, price: 299.99 }] })).toEqual({
      user_id: 'user123',
      items: [{ product_id: 'PROD-001', quantity: 2, price: 299.99 }],
    });
    expect(placeOrderBody.parse({ user_id: 'u', items: [{ product_id: 'P', quantity: 1 }], payment_method: { card_number: '4000 0000 0000 0002' } }).payment_method).toEqual({
      card_number: '4000000000000002',
    });
    expect(placeOrderBody.parse({ user_id: 'u', items: [{ product_id: 'P', quantity: 1 }], payment_method: { token: 'tok_visa' } }).payment_method).toEqual({ token: 'tok_visa' });
  });

  it('names a quantity below 1, or not whole', () => {
    expect(fields({ user_id: 'u', items: [{ product_id: 'P', quantity: 0 }] })).toEqual(['items.0.quantity']);
    expect(fields({ user_id: 'u', items: [{ product_id: 'P', quantity: 1 }, { product_id: 'Q', quantity: 1.5 }] })).toEqual(['items.1.quantity']);
  });

  it('names a duplicate line', () => {
    expect(fields({ user_id: 'u', items: [{ product_id: 'P', quantity: 1 }, { product_id: 'Q', quantity: 1 }, { product_id: 'P', quantity: 2 }] })).toEqual(['items.2.product_id']);
  });

  it('names items when there are more than 50 lines or none', () => {
    expect(fields({ user_id: 'u', items: Array.from({ length: 51 }, (_, i) => ({ product_id: `P${i}`, quantity: 1 })) })).toEqual(['items']);
    expect(fields({ user_id: 'u', items: Array.from({ length: 50 }, (_, i) => ({ product_id: `P${i}`, quantity: 1 })) })).toEqual([]);
    expect(fields({ user_id: 'u', items: [] })).toEqual(['items']);
  });

  it('names a missing user, a negative price, an unknown field and a bad card', () => {
    expect(fields({ items: [{ product_id: 'P', quantity: 1 }] })).toEqual(['user_id']);
    expect(fields({ user_id: 'u', items: [{ product_id: 'P', quantity: 1, price: -1 }] })).toEqual(['items.0.price']);
    expect(fields({ user_id: 'u', items: [{ product_id: 'P', quantity: 1 }], total: 5 })).toEqual([undefined]);
    expect(fields({ user_id: 'u', items: [{ product_id: 'P', quantity: 1 }], payment_method: { card_number: '42' } })).toEqual(['payment_method.card_number']);
  });
});

describe('the task inputs', () => {
  it('normalizes a failure as the state machine catches it', () => {
    const input = recordTask.parse({ action: 'record', order_id: 'ord_1', correlation_id: 'c', event: { type: 'SagaStepFailed', data: { step: 'payment', Error: 'PaymentDeclinedError', Cause: 'declined' } } });
    expect(input.event).toEqual({ type: 'SagaStepFailed', data: { step: 'payment', error: 'PaymentDeclinedError', cause: 'declined' } });
  });

  it("checks each event's data and refuses events the record action does not append", () => {
    const bad = recordTask.safeParse({ order_id: 'ord_1', event: { type: 'InventoryReserved', data: { status: 'RESERVED' } } });
    expect(bad.success).toBe(false);
    expect(zodDetails(bad.error!).map((d) => d.field)).toEqual(['event.data.reservation_id']);
    expect(recordTask.safeParse({ order_id: 'ord_1', event: { type: 'OrderConfirmed', data: {} } }).success).toBe(false);
    expect(recordTask.parse({ order_id: 'ord_1', event: { type: 'PaymentRefunded', data: { status: 'NOTHING_TO_REFUND' } } }).event.data).toEqual({ status: 'NOTHING_TO_REFUND' });
  });

  it('takes a confirm with or without a fault, and a cancel in the state machine\'s shape', () => {
    expect(confirmTask.parse({ action: 'confirm', order_id: 'ord_1', correlation_id: 'c', fault: null }).fault).toBeNull();
    expect(cancelTask.parse({ action: 'cancel', order_id: 'ord_1', failure: { step: 'reserve', Error: 'InsufficientStockError', Cause: 'x' } }).failure).toEqual({
      step: 'reserve',
      error: 'InsufficientStockError',
      cause: 'x',
    });
    expect(cancelTask.parse({ order_id: 'ord_1', failed_step: 'payment', failure: { Error: 'CircuitOpenError' } }).failure).toEqual({ step: 'payment', error: 'CircuitOpenError', cause: '' });
  });
});
