/**
 * The OpenAPI document against the running API: the local cloud serves the synthesized document
 * on its edge (GET /_local/openapi.json, with its own API address first), and sample requests to
 * every route (answers that succeed and the errors a client meets) and their answers validate
 * against it. A route left without a sample fails the last test.
 */
import { buildOpenApiDocument } from '../../../lib/openapi/document';
import { CARDS } from '../../support/payments';
import { orderable } from '../../support/orders';
import { call, endpoints, uniqueId, type CallOptions } from '../../support/local-cloud';
import { eventually, until } from '../../support/poll';
import { Contract } from './contract';

let contract: Contract;
/** how long an event may take to cross Kafka on a machine shared by many test runs */
const SLOW = 90_000;
const exercised = new Set<string>();

/**
 * Calls the API, checks the exchange against the document, and answers the body. A sample marked
 * `invalid` sends what the document forbids: the document must say so, and the answer must still
 * be one it describes.
 */
async function sample(url: string, expectedStatus: number | number[], options: CallOptions & { invalid?: boolean } = {}) {
  const res = await call(url, options);
  const method = options.method ?? (options.body !== undefined || options.rawBody !== undefined ? 'POST' : 'GET');
  const headers = { ...options.headers, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const checked = contract.check({ method, url, headers, body: options.body, status: res.status, contentType: res.headers.get('content-type'), response: res.body });
  exercised.add(checked.key);
  const requestProblems = checked.problems.filter((p) => p.startsWith('request'));
  const answerProblems = checked.problems.filter((p) => !p.startsWith('request'));
  const seen = { sample: `${method} ${url}`, status: res.status, answerProblems, requestProblems: options.invalid ? requestProblems.length > 0 : requestProblems };
  const status = Array.isArray(expectedStatus) && expectedStatus.includes(res.status) ? res.status : expectedStatus;
  expect(seen).toEqual({ sample: `${method} ${url}`, status, answerProblems: [], requestProblems: options.invalid ? true : [] });
  return res.body;
}

/**
 * Waits until the order's saga execution ended, however it ended: the samples are about the
 * document, and on a loaded machine a task may time out and fail the saga (RecordReserved did).
 */
async function sagaEnded(orderId: string) {
  let last: unknown;
  try {
    await until(`the saga of order ${orderId} to end`, async () => {
      const res = await call(`/api/orders/${orderId}/status`);
      last = res.body;
      return res.status === 200 && !['NOT_STARTED', 'RUNNING'].includes(res.body.saga.status);
    }, { timeoutMs: 2 * SLOW, intervalMs: 500 });
  } catch (err) {
    throw new Error(`${(err as Error).message}; it stood at ${JSON.stringify(last).slice(0, 600)}`);
  }
}

beforeAll(async () => {
  const res = await fetch(`${endpoints().edge_url}/_local/openapi.json`);
  expect(res.status).toBe(200);
  contract = new Contract((await res.json()) as Record<string, unknown>);
});

describe('the document the local cloud serves', () => {
  it('is the synthesized document, with this local cloud as its first server', () => {
    const built = JSON.parse(JSON.stringify(buildOpenApiDocument())) as { servers: unknown[] };
    expect(contract.doc).toEqual({ ...built, servers: [{ url: endpoints().api_url, description: 'this local cloud' }, ...built.servers] });
  });
});

describe('sample requests and answers validate against the document', () => {
  it('health of every service, without a key', async () => {
    for (const service of ['orders', 'inventory', 'catalog', 'payments', 'notifications']) {
      // 503 (a dependency did not answer in time) is an answer the document describes too: a loaded machine gives it
      const body = await sample(`/api/${service}/health`, [200, 503], { key: null });
      expect(body.service).toBe(service);
    }
  });

  it('catalog: create, read, list, search, featured, categories, update, delete, and its errors', async () => {
    const id = uniqueId('OAS');
    const created = await sample('/api/catalog', 201, {
      body: { product_id: id, name: 'Contract Lamp', description: 'A lamp for the contract test', price: 19.99, category: 'Lighting', brand: 'Acme', stock: 7, tags: ['lamp'], featured: true },
    });
    expect(created).toMatchObject({ product_id: id, price_minor: 1999, version: 1 });
    await sample(`/api/catalog/${id}`, 200);
    await sample('/api/catalog?category=Lighting&limit=5', 200);
    await sample('/api/catalog/search/lamp?limit=5', 200);
    await sample('/api/catalog/featured/list?limit=5', 200);
    await sample('/api/catalog/meta/categories', 200);
    await sample(`/api/catalog/${id}`, 200, { method: 'PUT', body: { version: 1, price: 24.5 } });
    await sample(`/api/catalog/${id}`, 409, { method: 'PUT', body: { version: 1, price: 25 } });
    await sample(`/api/catalog/${id}`, 200, { method: 'DELETE', body: { version: 2 } });
    await sample(`/api/catalog/${uniqueId('OAS-none')}`, 404);
    await sample('/api/catalog', 422, { body: { name: '', price: -1, category: 'Lighting' }, invalid: true });
    await sample('/api/catalog', 415, { rawBody: 'name=x', headers: { 'content-type': 'text/plain' }, invalid: true });
    await sample('/api/catalog', 403, { key: null, body: { name: 'No key', price: 1, category: 'Lighting' } });
  });

  it('inventory: restock, read, list, and its errors', async () => {
    const id = uniqueId('OAS');
    await sample(`/api/inventory/${id}/restock`, 200, { body: { quantity: 5, reason: 'contract test' } });
    await sample(`/api/inventory/${id}`, 200);
    await sample('/api/inventory?limit=2', 200);
    await sample(`/api/inventory/${uniqueId('OAS')}`, 404);
    await sample(`/api/inventory/${id}/restock`, 422, { body: { quantity: 0 }, invalid: true });
  });

  it('orders: price, place (confirmed and declined), read, list, events, status, and its errors', async () => {
    const productId = uniqueId('OAS');
    await sample('/api/catalog', 201, { body: { product_id: productId, name: 'Contract Mug', price: 12.5, category: 'Kitchen', stock: 50 } });
    await orderable(productId, SLOW); // the catalog event reached Orders' price list
    await sample(`/api/orders/prices/${productId}`, 200);
    const user = uniqueId('oas-user');
    const placed = await sample('/api/orders', 202, {
      body: { user_id: user, items: [{ product_id: productId, quantity: 2 }], payment_method: { card_number: CARDS.approve } },
      headers: { 'Idempotency-Key': uniqueId('oas') },
    });
    const declined = await sample('/api/orders', 202, { body: { user_id: user, items: [{ product_id: productId, quantity: 1 }], payment_method: { card_number: CARDS.declined } } });
    const reads = async (id: string) => {
      await sample(`/api/orders/${id}`, 200);
      await sample(`/api/orders/${id}/events`, 200);
      await sample(`/api/orders/${id}/status`, 200);
    };
    await reads(placed.order_id); // as the saga starts
    // and once the sagas ended: the steps taken, and the declined one's failure and compensations
    await Promise.all([sagaEnded(placed.order_id), sagaEnded(declined.order_id)]);
    await reads(placed.order_id);
    await reads(declined.order_id);
    const page = await sample(`/api/orders?user_id=${user}&limit=10`, 200);
    expect(page.items.map((o: { order_id: string }) => o.order_id).sort()).toEqual([placed.order_id, declined.order_id].sort());
    await sample('/api/orders', 400, { invalid: true });
    await sample('/api/orders/ord_00000000000000000000000000000000', 404);
    await sample('/api/orders', 422, { body: { user_id: user, items: [] }, invalid: true });
  }, 5 * SLOW);

  it('payments: charge, repeat, read, refund, decline, and its errors', async () => {
    const orderId = uniqueId('ord');
    const body = { order_id: orderId, amount: 25.5, currency: 'USD', payment_method: { card_number: CARDS.approve } };
    const paid = await sample('/api/payments', 201, { body, headers: { 'Idempotency-Key': uniqueId('oas') } });
    await sample('/api/payments', 200, { body });
    await sample(`/api/payments/${paid.payment_id}`, 200);
    await sample(`/api/payments/${paid.payment_id}/refund`, 200, { body: { reason: 'contract test' } });
    await sample(`/api/payments/${paid.payment_id}/refund`, 200, { body: {} });
    const declined = await sample('/api/payments', 402, { body: { ...body, order_id: uniqueId('ord'), payment_method: { card_number: CARDS.declined } } });
    await sample(`/api/payments/${declined.error.details[0].payment_id}/refund`, 409, { body: {} });
    await sample('/api/payments/pay_0000', 404);
    await sample('/api/payments', 400, { rawBody: '{"order_id": "o', headers: { 'content-type': 'application/json' }, invalid: true });
  });

  it('notifications: preferences, direct sends, history, and its errors', async () => {
    const user = uniqueId('oas-ntf');
    const prefs = { email: `${user}@example.com`, phone: '+15550100001', push_token: `token-${user}`, channels: ['email', 'sms', 'push'], name: 'Contract' };
    await sample(`/api/notifications/preferences/${user}`, 201, { method: 'PUT', body: prefs });
    await sample(`/api/notifications/preferences/${user}`, 200, { method: 'PUT', body: { ...prefs, locale: 'en-GB' } });
    await sample(`/api/notifications/preferences/${user}`, 200);
    await sample(`/api/notifications/preferences/${uniqueId('oas-none')}`, 404);
    const key = uniqueId('oas');
    const send = { channel: 'email', user_id: user, subject: 'Hello', body: 'Plain text', html: '<p>Rich</p>' };
    await sample('/api/notifications/send', 201, { body: send, headers: { 'Idempotency-Key': key } });
    await sample('/api/notifications/send', 200, { body: send, headers: { 'Idempotency-Key': key } });
    await sample('/api/notifications/send', 201, { body: { channel: 'push', user_id: user, subject: 'Sale', body: 'Today only' } });
    const listed = await eventually('the history to list both sends', async () => {
      const res = await call(`/api/notifications/history?user_id=${user}`);
      return res.status === 200 && res.body.items.length === 2 ? res.body : undefined;
    }, { timeoutMs: SLOW });
    expect(listed.items.map((n: { channel: string }) => n.channel).sort()).toEqual(['email', 'push']);
    await sample(`/api/notifications/history?user_id=${user}&channel=email&limit=5`, 200);
    // each parameter is optional in the schema; "at least one of three" is in the summary, a rule JSON Schema parameters cannot state
    await sample('/api/notifications/history', 400);
    await sample('/api/notifications/send', 422, { body: { channel: 'sms', to: 'not-a-number', body: 'x' } });
  }, 2 * SLOW);

  it('every operation of the document had a sample', () => {
    expect([...exercised].sort()).toEqual(contract.operations().sort());
  });
});
