import { ValidationError } from '../../../../../lambdas/shared/errors';
import { IdempotencyKeyReusedError, PriceChangedError } from '../../../../../lambdas/orders/domain/errors';
import { placeOrderBody } from '../../../../../lambdas/orders/schemas';
import { orderIdForKey, placeOrder, type PlaceOrderDeps } from '../../../../../lambdas/orders/use-cases/place-order';
import { price, priceList, SAGA_ARN, stores, tickingClock } from '../fixtures';

async function setup() {
  const { store } = stores();
  const prices = await priceList([price('PROD-001', 29999, { name: 'Premium Headphones' }), price('PROD-002', 4999)]);
  const deps: PlaceOrderDeps = { store, prices, sagaId: SAGA_ARN, clock: tickingClock() };
  return { store, prices, deps };
}

const body = (extra: object = {}) => placeOrderBody.parse({ user_id: 'user123', items: [{ product_id: 'PROD-001', quantity: 2, price: 299.99 }], ...extra });

describe('placing an order', () => {
  it('appends OrderPlaced with the read model and order.placed, priced from the catalog, with the default test card', async () => {
    const { store, deps } = await setup();
    const { order, replayed } = await placeOrder(deps, { body: body(), fault: null, correlationId: 'corr-9' });
    expect(replayed).toBe(false);
    expect(order).toMatchObject({ status: 'PLACED', version: 1, total_minor: 59998, total: 599.98, currency: 'USD', saga_id: SAGA_ARN(order.order_id), placed_at: '2026-12-01T10:00:00.000Z' });
    expect(order.order_id).toMatch(/^ord_[0-9a-f]{32}$/);
    const log = store.logs.get(order.order_id)!;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ seq: 1, type: 'OrderPlaced', key: 'OrderPlaced', correlation_id: 'corr-9' });
    expect(log[0]!.data).toMatchObject({ payment_method: { card_number: '4242424242424242' }, fault: null, correlation_id: 'corr-9' });
    expect(store.orders.get(order.order_id)).toEqual(order);
    expect(store.outbox.map((e) => [e.type, e.subject, e.source])).toEqual([['order.placed', order.order_id, 'orders']]);
    expect(store.outbox[0]!.data).toEqual({
      order_id: order.order_id,
      user_id: 'user123',
      items: [{ product_id: 'PROD-001', quantity: 2, unit_price_minor: 29999 }],
      total_minor: 59998,
      currency: 'USD',
      placed_at: '2026-12-01T10:00:00.000Z',
    });
    expect(JSON.stringify(store.outbox)).not.toContain('4242424242424242');
  });

  it('carries the fault into the order', async () => {
    const { store, deps } = await setup();
    const { order } = await placeOrder(deps, { body: body(), fault: { step: 'confirm', kind: 'crash' }, correlationId: 'c' });
    expect(store.logs.get(order.order_id)![0]!.data).toMatchObject({ fault: { step: 'confirm', kind: 'crash' } });
  });

  it('refuses a stale price with 409 and unknown products with 422, placing nothing', async () => {
    const { store, deps } = await setup();
    await expect(placeOrder(deps, { body: body({ items: [{ product_id: 'PROD-001', quantity: 1, price: 249.99 }] }), fault: null, correlationId: 'c' })).rejects.toBeInstanceOf(PriceChangedError);
    await expect(placeOrder(deps, { body: body({ items: [{ product_id: 'NOPE', quantity: 1 }] }), fault: null, correlationId: 'c' })).rejects.toBeInstanceOf(ValidationError);
    expect(store.logs.size).toBe(0);
    expect(store.outbox).toHaveLength(0);
  });

  it('with an Idempotency-Key: the same request finds the same order; another request is refused', async () => {
    const { store, deps } = await setup();
    const first = await placeOrder(deps, { body: body(), fault: null, correlationId: 'c1', idempotencyKey: 'key-1' });
    expect(first.order.order_id).toBe(orderIdForKey('key-1'));
    const again = await placeOrder(deps, { body: body(), fault: null, correlationId: 'c2', idempotencyKey: 'key-1' });
    expect(again).toEqual({ order: first.order, replayed: true });
    await expect(placeOrder(deps, { body: body({ user_id: 'someone-else' }), fault: null, correlationId: 'c3', idempotencyKey: 'key-1' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(placeOrder(deps, { body: body(), fault: { step: 'payment', kind: 'error' }, correlationId: 'c3', idempotencyKey: 'key-1' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(store.logs.get(first.order.order_id)).toHaveLength(1);
    expect(store.outbox).toHaveLength(1);
  });

  it('with an Idempotency-Key, a replay answers the order even after its price changed', async () => {
    const { prices, deps } = await setup();
    const first = await placeOrder(deps, { body: body(), fault: null, correlationId: 'c1', idempotencyKey: 'key-2' });
    await prices.put(price('PROD-001', 19999, { version: 2 }));
    expect((await placeOrder(deps, { body: body(), fault: null, correlationId: 'c1', idempotencyKey: 'key-2' })).order.order_id).toBe(first.order.order_id);
  });

  it('two requests with one key racing: one order, and the loser answers it', async () => {
    const { store, deps } = await setup();
    const results = await Promise.all([1, 2, 3].map(() => placeOrder(deps, { body: body(), fault: null, correlationId: 'c', idempotencyKey: 'key-3' })));
    expect(new Set(results.map((r) => r.order.order_id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(store.logs.get(orderIdForKey('key-3'))).toHaveLength(1);
  });
});
