/**
 * The Inventory service on the local cloud, deployed from the real template: through the API
 * with keys and usage plans, and its saga tasks through the Lambda API on the edge endpoint.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDbStockRepository } from '../../../lambdas/inventory/adapters/dynamodb/stock-repository';
import { InsufficientStockError } from '../../../lambdas/inventory/domain/errors';
import { methodThrottle, USAGE_PLANS } from '../../../lib/config';
import { awsClientConfig, call, endpoints, uniqueId } from '../../support/local-cloud';
import { eventually } from '../../support/poll';

// The SDK's standard retries cover throttling (TooManyRequestsException), as in AWS.
const lambda = () => new LambdaClient({ ...awsClientConfig(), maxAttempts: 5 });
const fnNamed = (part: string) => {
  const name = endpoints().functions.find((f) => f.includes(part));
  if (!name) throw new Error(`no function like ${part} in ${endpoints().functions.join(', ')}`);
  return name;
};

async function invoke(part: string, payload: unknown) {
  const out = await lambda().send(new InvokeCommand({ FunctionName: fnNamed(part), Payload: Buffer.from(JSON.stringify(payload)) }));
  const body = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8') || 'null');
  return { error: out.FunctionError, body };
}

async function restock(productId: string, quantity: number) {
  const res = await call(`/api/inventory/${productId}/restock`, { body: { quantity } });
  expect(res.status).toBe(200);
  return res.body;
}

describe('inventory through the API', () => {
  it('restocks, then reads the product and finds it in the list', async () => {
    const id = uniqueId('IT');
    const first = await restock(id, 12);
    expect(first).toMatchObject({ product_id: id, available: 12, reserved: 0, version: 1 });
    await restock(id, 3);
    const read = await call(`/api/inventory/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ product_id: id, available: 15, reserved: 0, version: 2, low_stock: false });
    expect(read.body.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(read.headers.get('x-correlation-id')).toBeTruthy();

    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ product_id: string }>; next_cursor: string | null } } = await call(
        `/api/inventory?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items) {
        expect(seen.has(item.product_id)).toBe(false);
        seen.add(item.product_id);
      }
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.has(id)).toBe(true);
  });

  it('answers health without a key', async () => {
    const res = await call('/api/inventory/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ service: 'inventory', status: 'ok' });
  });

  it('serves the stage URL too', async () => {
    const res = await fetch(`${endpoints().api_stage_url}/api/inventory/health`);
    expect(res.status).toBe(200);
  });

  it('answers 403 without a key or with an unknown key, as API Gateway does', async () => {
    const none = await call('/api/inventory/PROD-001', { key: null });
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ message: 'Forbidden' });
    const unknown = await call('/api/inventory/PROD-001', { key: { value: 'not-a-real-key-0000000000000000000000000' } });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toEqual({ message: 'Forbidden' });
  });

  it('answers 404 in the platform error shape for an unknown product', async () => {
    const res = await call(`/api/inventory/${uniqueId('NOPE')}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('no stock record'), details: [expect.objectContaining({ field: 'product_id' })] } });
  });

  it('answers 400 for malformed JSON, a bad path parameter or a bad query', async () => {
    const malformed = await call('/api/inventory/PROD-001/restock', { rawBody: '{"quantity": 1', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');

    const badId = await call(`/api/inventory/${encodeURIComponent('bad id!')}`);
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'invalid_parameter', details: [expect.objectContaining({ field: 'product_id' })] });

    const badLimit = await call('/api/inventory?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.details[0].field).toBe('limit');

    const badCursor = await call('/api/inventory?cursor=garbage');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details[0].field).toBe('cursor');
  });

  it('answers 422 naming each invalid field, 415 for a non-JSON body', async () => {
    const res = await call('/api/inventory/PROD-001/restock', { body: { quantity: -5, extra: true } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.details.map((d: { field?: string }) => d.field ?? '');
    expect(fields).toContain('quantity');
    expect(JSON.stringify(res.body.error.details)).toContain('extra');

    const text = await call('/api/inventory/PROD-001/restock', { rawBody: 'quantity=1', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
  });

  it('never leaks internals: an unexpected error is a 500 with a generic body', async () => {
    const res = await call('/api/inventory/PROD-001', { headers: { 'x-fault-injection': 'error' } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'internal error', details: [] } });
  });

  it("answers API Gateway's 502 when a handler runs past its timeout", async () => {
    // the inventory API function's timeout is 5 s
    const res = await call('/api/inventory/health', { key: null, headers: { 'x-fault-injection': 'delay=5500' } });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: 'Internal server error' });
    const after = await call('/api/inventory/health', { key: null });
    expect(after.status).toBe(200);
  });

  it("answers API Gateway's 502 when the handler's execution environment crashes, and the next call gets a fresh one", async () => {
    const res = await call('/api/inventory/health', { key: null, headers: { 'x-fault-injection': 'crash' } });
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ message: 'Internal server error' });
    const after = await call('/api/inventory/health', { key: null });
    expect(after.status).toBe(200);
  });

  it("answers 429 once the standard plan's burst is spent, exactly as many 200s as the burst and the refill allow", async () => {
    const { rateLimit, burstLimit } = methodThrottle('inventory', USAGE_PLANS.standard); // 1.667/s, burst 20
    const id = uniqueId('THROTTLE');
    await restock(id, 1);
    const sent = 2 * burstLimit;
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: sent }, () => call(`/api/inventory/${id}`, { key: 'standard' })));
    const seconds = (performance.now() - t0) / 1000;
    const ok = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    // the full bucket, plus what can refill while the requests arrive: computed, not guessed
    expect(ok).toBeGreaterThanOrEqual(burstLimit);
    expect(ok).toBeLessThanOrEqual(burstLimit + Math.floor(seconds * rateLimit));
    expect(limited).toHaveLength(sent - ok);
    expect(limited[0]!.body).toEqual({ message: 'Too Many Requests' });
    // other keys are not affected by this key's bucket
    expect((await call(`/api/inventory/${id}`, { key: 'partner' })).status).toBe(200);
    // a refused request takes no token, so polling until one comes back costs nothing (the exact
    // refill is tested on an injected clock: test/infra/usage-plans.test.ts)
    await eventually('a token to come back', async () => ((await call(`/api/inventory/${id}`, { key: 'standard' })).status === 200 ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
  });
});

describe('inventory saga tasks', () => {
  it('50 concurrent reservations of one unit against 20 in stock leave exactly 20 reserved and 0 available', async () => {
    const id = uniqueId('RACE');
    await restock(id, 20);
    // warm a few execution environments first: the subject is the stock invariant, not cold starts on 2 cores
    await Promise.all(Array.from({ length: 8 }, () => invoke('InventoryTasks', { action: 'reserve',  order_id: 'warm-up', items: [] })));
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => invoke('InventoryTasks', { action: 'reserve',  order_id: `${id}-order-${i}`, items: [{ product_id: id, quantity: 1 }] })),
    );
    const ok = outcomes.filter((o) => !o.error);
    const refused = outcomes.filter((o) => o.error);
    expect(ok).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const r of refused) expect(r.body.errorType).toBe('InsufficientStockError');
    const stock = await call(`/api/inventory/${id}`);
    expect(stock.body).toMatchObject({ available: 0, reserved: 20 });
  });

  it('release and commit are idempotent and refuse each other', async () => {
    const id = uniqueId('TASK');
    await restock(id, 5);
    const order = `${id}-o1`;
    const reserved = await invoke('InventoryTasks', { action: 'reserve',  order_id: order, items: [{ product_id: id, quantity: 2, price: 100 }] });
    expect(reserved.error).toBeUndefined();
    expect(reserved.body).toMatchObject({ status: 'RESERVED', changed: true });
    expect((await invoke('InventoryTasks', { action: 'reserve',  order_id: order, items: [{ product_id: id, quantity: 2 }] })).body).toMatchObject({ changed: false });
    expect((await invoke('InventoryTasks', { action: 'release',  order_id: order })).body).toMatchObject({ status: 'RELEASED', changed: true });
    expect((await invoke('InventoryTasks', { action: 'release',  order_id: order })).body).toMatchObject({ changed: false });
    const commit = await invoke('InventoryTasks', { action: 'commit',  order_id: order });
    expect(commit.error).toBe('Unhandled');
    expect(commit.body.errorType).toBe('ReservationStateError');
    expect((await call(`/api/inventory/${id}`)).body).toMatchObject({ available: 5, reserved: 0 });
  });

  it('rejects bad task input with a named error', async () => {
    const out = await invoke('InventoryTasks', { action: 'reserve',  order_id: '', items: [] });
    expect(out.error).toBe('Unhandled');
    expect(out.body.errorType).toBe('ValidationError');
  });
});

describe('DynamoDB adapter against DynamoDB Local', () => {
  it('holds the stock invariant under 50 concurrent reservations', async () => {
    const e = endpoints();
    const client = new DynamoDBClient(awsClientConfig());
    const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    const stockTable = tables.find((t) => t.includes('StockTable'))!;
    const reservationsTable = tables.find((t) => t.includes('ReservationsTable'))!;
    expect(stockTable && reservationsTable).toBeTruthy();
    const repo = new DynamoDbStockRepository(stockTable, reservationsTable, client);
    const id = uniqueId('ADAPTER');
    const at = new Date().toISOString();
    await repo.restock(id, 20, at);
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => repo.reserve(`${id}-${i}`, [{ productId: id, quantity: 1 }], at)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InsufficientStockError);
    expect(await repo.get(id)).toMatchObject({ available: 0, reserved: 20, version: 21 });
    expect(e.edge_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    client.destroy();
  });
  it('a release or commit retried concurrently with itself is one change and no-ops, never a refusal; concurrent restocks all land', async () => {
    const client = new DynamoDBClient(awsClientConfig());
    const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    const stockTable = tables.find((t) => t.includes('StockTable'))!;
    const reservationsTable = tables.find((t) => t.includes('ReservationsTable'))!;
    const outboxTable = tables.find((t) => t.includes('OutboxTable'))!;
    const repo = new DynamoDbStockRepository(stockTable, reservationsTable, client, outboxTable);
    const id = uniqueId('CONCURRENT');
    const at = new Date().toISOString();
    // 10 concurrent restocks of one product: every one lands (TransactionConflict is retried)
    await Promise.all(Array.from({ length: 10 }, (_, i) => repo.restock(id, i + 1, at)));
    expect(await repo.get(id)).toMatchObject({ available: 55, reserved: 0, version: 10 });

    await repo.reserve(`${id}-release`, [{ productId: id, quantity: 5 }], at);
    await repo.reserve(`${id}-commit`, [{ productId: id, quantity: 7 }], at);
    const releases = await Promise.all(Array.from({ length: 10 }, () => repo.release(`${id}-release`, at)));
    expect(releases.filter((r) => r.changed)).toHaveLength(1);
    expect(releases.every((r) => r.reservation.status === 'RELEASED')).toBe(true);
    const commits = await Promise.all(Array.from({ length: 10 }, () => repo.commit(`${id}-commit`, at)));
    expect(commits.filter((r) => r.changed)).toHaveLength(1);
    expect(commits.every((r) => r.reservation.status === 'COMMITTED')).toBe(true);
    // 55 - 7 committed; the released 5 came back; nothing left reserved
    expect(await repo.get(id)).toMatchObject({ available: 48, reserved: 0 });
    client.destroy();
  });
});
