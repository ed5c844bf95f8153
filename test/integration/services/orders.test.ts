/**
 * The Orders service on the local cloud, deployed from the real template, through the API with
 * keys: placing orders (every validation answer, the 409 with the current price, Idempotency-Key),
 * reading them back (the read model, the log, a user's list newest first with a cursor), and the
 * price list following the catalog's creates, updates and deletes.
 */
import { call, uniqueId } from '../../support/local-cloud';
import { orderableProduct } from '../../support/orders';
import { eventually, until } from '../../support/poll';

const ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:execution:ecommerce-order-saga:(ord_[0-9a-f]{32})$/;

let productA: string;
let productB: string;

beforeAll(async () => {
  [productA, productB] = await Promise.all([orderableProduct({ price: 299.99 }), orderableProduct({ price: 10.5 })]);
});

const place = (body: unknown, headers: Record<string, string> = {}) => call('/api/orders', { method: 'POST', body, headers });

describe('placing an order', () => {
  it('answers 202 with the order id, the saga execution ARN, the status and a Location', async () => {
    const res = await place({ user_id: uniqueId('user'), items: [{ product_id: productA, quantity: 2, price: 299.99 }, { product_id: productB, quantity: 1 }] });
    expect(res.status).toBe(202);
    const id: string = res.body.order_id;
    expect(id).toMatch(/^ord_[0-9a-f]{32}$/);
    expect(ARN.exec(res.body.saga_id)?.[1]).toBe(id);
    expect(res.body).toMatchObject({ status: 'PLACED', total: 610.48, total_minor: 61048, currency: 'USD' });
    expect(res.body.items).toEqual([
      { product_id: productA, name: `Order test product ${productA}`, quantity: 2, unit_price: 299.99, unit_price_minor: 29999, line_total_minor: 59998 },
      { product_id: productB, name: `Order test product ${productB}`, quantity: 1, unit_price: 10.5, unit_price_minor: 1050, line_total_minor: 1050 },
    ]);
    expect(res.headers.get('location')).toBe(`/api/orders/${id}`);
    expect(res.headers.get('x-correlation-id')).toBeTruthy();

    const read = await call(`/api/orders/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ order_id: id, total_minor: 61048, payment_method: { type: 'card', last4: '4242' }, saga_id: res.body.saga_id });
    expect(read.body.version).toBeGreaterThanOrEqual(1);
    expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);

    const log = await call(`/api/orders/${id}/events`);
    expect(log.status).toBe(200);
    expect(log.body.order_id).toBe(id);
    expect(log.body.events[0]).toMatchObject({ seq: 1, type: 'OrderPlaced', data: { user_id: res.body.user_id, total_minor: 61048, currency: 'USD', fault: null, payment_method: { type: 'card', last4: '4242' } } });
    expect(log.body.events.map((e: { seq: number }) => e.seq)).toEqual(log.body.events.map((_: unknown, i: number) => i + 1));
    expect(JSON.stringify(log.body)).not.toContain('4242424242424242');
  });

  it.each([
    ['a quantity below 1', { items: [{ product_id: 'P', quantity: 0 }] }, 'items.0.quantity'],
    ['a duplicate line', { items: [{ product_id: 'P', quantity: 1 }, { product_id: 'P', quantity: 2 }] }, 'items.1.product_id'],
    ['more than 50 lines', { items: Array.from({ length: 51 }, (_, i) => ({ product_id: `P${i}`, quantity: 1 })) }, 'items'],
    ['no items', { items: [] }, 'items'],
    ['a negative price', { items: [{ product_id: 'P', quantity: 1, price: -5 }] }, 'items.0.price'],
  ])('answers 422 at once for %s, naming the field', async (_what, body, field) => {
    const res = await place({ user_id: 'user-422', ...body });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { field?: string }) => d.field)).toContain(field);
  });

  it('answers 422 naming each unknown product', async () => {
    const res = await place({ user_id: 'user-422', items: [{ product_id: productA, quantity: 1 }, { product_id: uniqueId('NOPE'), quantity: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'items.1.product_id' })]);
  });

  it('answers 409 with the current price when the client price differs', async () => {
    // the version is the catalog product's revision, which Inventory's stock echo may move on
    // while the test runs: the answer names the one current at the time, between before and after
    const version = async () => (await call(`/api/orders/prices/${productA}`)).body.version as number;
    const before = await version();
    const res = await place({ user_id: 'user-409', items: [{ product_id: productA, quantity: 1, price: 249.99 }] });
    const after = await version();
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('price_changed');
    const named = res.body.error.details[0]?.price_version as number;
    expect(named >= before && named <= after).toBe(true);
    expect(res.body.error.details).toEqual([
      { field: 'items.0.price', message: `the current price of ${productA} is 299.99 USD, not 249.99`, product_id: productA, price: 299.99, price_minor: 29999, currency: 'USD', price_version: named },
    ]);
  });

  it('answers 400 for malformed JSON and a malformed x-saga-fault (fault injection is on in the test cloud)', async () => {
    expect((await call('/api/orders', { method: 'POST', rawBody: '{"user_id":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    const res = await place({ user_id: 'u', items: [{ product_id: productA, quantity: 1 }] }, { 'x-saga-fault': 'ship=now' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('x-saga-fault');
  });

  it('carries x-saga-fault into OrderPlaced', async () => {
    const res = await place({ user_id: uniqueId('user'), items: [{ product_id: productB, quantity: 1 }] }, { 'x-saga-fault': 'reserve=error' });
    expect(res.status).toBe(202);
    const log = await call(`/api/orders/${res.body.order_id}/events`);
    expect(log.body.events[0].data.fault).toEqual({ step: 'reserve', kind: 'error' });
  });
});

describe('Idempotency-Key', () => {
  it('the same key and body answers the first answer and places one order; another body is 422', async () => {
    const key = uniqueId('idem');
    const body = { user_id: uniqueId('user'), items: [{ product_id: productB, quantity: 3 }] };
    const first = await place(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await place(body, { 'idempotency-key': key });
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));

    const log = await call(`/api/orders/${first.body.order_id}/events`);
    expect(log.body.events.filter((e: { type: string }) => e.type === 'OrderPlaced')).toHaveLength(1);
    const list = await call(`/api/orders?user_id=${encodeURIComponent(body.user_id)}`);
    expect(list.body.items.map((o: { order_id: string }) => o.order_id)).toEqual([first.body.order_id]);

    const other = await place({ ...body, items: [{ product_id: productB, quantity: 4 }] }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('concurrent retries of one request place one order', async () => {
    const key = uniqueId('idem');
    const body = { user_id: uniqueId('user'), items: [{ product_id: productB, quantity: 1 }] };
    const answers = await Promise.all([1, 2, 3, 4].map(() => place(body, { 'Idempotency-Key': key })));
    // a retry that arrives while the first is running is told so (409); the others get the first answer
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const a of answers) expect([202, 409]).toContain(a.status);
    expect(new Set(accepted.map((a) => a.body.order_id)).size).toBe(1);
    const list = await call(`/api/orders?user_id=${encodeURIComponent(body.user_id)}`);
    expect(list.body.items).toHaveLength(1);
  });
});

describe('reading orders', () => {
  it("lists a user's orders newest first, a page at a time with a cursor", async () => {
    const user = uniqueId('user');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await place({ user_id: user, items: [{ product_id: productB, quantity: i + 1 }] });
      expect(res.status).toBe(202);
      ids.push(res.body.order_id);
    }
    const first = await call(`/api/orders?user_id=${user}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((o: { order_id: string }) => o.order_id)).toEqual([ids[2], ids[1]]);
    expect(first.body.count).toBe(2);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await call(`/api/orders?user_id=${user}&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((o: { order_id: string }) => o.order_id)).toEqual([ids[0]]);
    expect(second.body.next_cursor).toBeNull();

    const otherUser = await call(`/api/orders?user_id=someone-else&cursor=${first.body.next_cursor}`);
    expect(otherUser.status).toBe(400);
    expect(otherUser.body.error.details[0].field).toBe('cursor');
  });

  it('answers 400 without user_id, 404 for an unknown order, and health without a key', async () => {
    const noUser = await call('/api/orders');
    expect(noUser.status).toBe(400);
    expect(noUser.body.error.details[0].field).toBe('user_id');
    const unknown = await call('/api/orders/ord_00000000000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await call('/api/orders/ord_00000000000000000000000000000000/events')).status).toBe(404);
    expect((await call('/api/orders/ord_00000000000000000000000000000000/status')).status).toBe(404);
    const health = await call('/api/orders/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ service: 'orders', status: 'ok' });
    expect((await call('/api/orders/ord_x', { key: null })).status).toBe(403);
  });
});

describe("Orders' price list follows the catalog", () => {
  it('creates, reprices and deletes', async () => {
    const id = await orderableProduct({ price: 20 });
    const created = (await call(`/api/orders/prices/${id}`)).body;
    expect(created).toMatchObject({ product_id: id, price: 20, price_minor: 2000, currency: 'USD', version: 1 });

    expect((await call(`/api/catalog/${id}`, { method: 'PUT', body: { version: 1, price: 24.99 } })).status).toBe(200);
    const repriced = await eventually('the new price', async () => {
      const res = await call(`/api/orders/prices/${id}`);
      return res.body.price_minor === 2499 ? res.body : undefined;
    });
    expect(repriced).toMatchObject({ price: 24.99, price_minor: 2499 });
    expect(repriced.version).toBeGreaterThan(created.version);
    // an order at the old price is told the new one
    const stale = await place({ user_id: 'u', items: [{ product_id: id, quantity: 1, price: 20 }] });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details[0]).toMatchObject({ price: 24.99, price_minor: 2499 });

    expect((await call(`/api/catalog/${id}`, { method: 'DELETE' })).status).toBe(200);
    await until('the product to leave the price list', async () => (await call(`/api/orders/prices/${id}`)).status === 404);
    const gone = await place({ user_id: 'u', items: [{ product_id: id, quantity: 1 }] });
    expect(gone.status).toBe(422);
    expect(gone.body.error.details[0].field).toBe('items.0.product_id');
  });
});
