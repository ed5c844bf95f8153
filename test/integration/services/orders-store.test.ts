/**
 * The event store against DynamoDB Local (the local cloud's tables, reached through the edge):
 * concurrent appenders to one order leave a log 1..n with no gap and no duplicate, each event
 * once, and the read model at the log's last seq; the read model and the outbox come with the
 * append or not at all.
 *
 * The tables are copies of the deployed ones (same keys and indexes) without streams: on the
 * deployed tables the outbox would publish order.placed and the saga would run against the order
 * while the test appends to it, so what the test sees would depend on the saga's timing.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOrderEventStore } from '../../../lambdas/orders/adapters/dynamodb/event-store';
import { ConcurrentAppendError } from '../../../lambdas/orders/domain/errors';
import { newOrderEvent } from '../../../lambdas/orders/domain/events';
import { fold } from '../../../lambdas/orders/domain/order';
import { appendEvent } from '../../../lambdas/orders/use-cases/append';
import { recordStep } from '../../../lambdas/orders/use-cases/saga-steps';
import { awsClientConfig, uniqueId } from '../../support/local-cloud';

const client = new DynamoDBClient(awsClientConfig());
let store: DynamoDbOrderEventStore;
let outboxTable: string;

const copies: string[] = [];

/** A stream-less copy of a deployed table: its key schema, attributes and global indexes. */
async function copyOf(name: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const copy = uniqueId(`${name.slice(0, 40)}-copy`);
  await client.send(
    new CreateTableCommand({
      TableName: copy,
      KeySchema: Table!.KeySchema,
      AttributeDefinitions: Table!.AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes?.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: copy });
  copies.push(copy);
  return copy;
}

beforeAll(async () => {
  const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  const find = (part: string) => {
    // by the construct's own id (`-OrdersTable<hash>`): Notifications has a `NotificationOrdersTable` too
    const t = tables.find((name) => new RegExp(`-${part}[0-9A-F]+$`).test(name));
    if (!t) throw new Error(`no table like ${part} in ${tables.join(', ')}`);
    return t;
  };
  const [orderEvents, orders, outbox] = await Promise.all([copyOf(find('OrderEventsTable')), copyOf(find('OrdersTable')), copyOf(find('OutboxTable'))]);
  outboxTable = outbox;
  store = new DynamoDbOrderEventStore({ orderEvents, orders, outbox }, client);
});

afterAll(async () => {
  await Promise.all(copies.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
});

/** An order placed straight into the store (no saga runs: the copies have no streams). */
async function placeDirectly(orderId: string) {
  const data = {
    user_id: uniqueId('store-user'),
    lines: [{ product_id: uniqueId('NO-SUCH'), name: 'none', quantity: 1, unit_price_minor: 100, line_total_minor: 100, price_version: 1 }],
    total_minor: 100,
    currency: 'USD',
    payment_method: { card_number: '4242424242424242' },
    placed_at: new Date().toISOString(),
    fault: null,
    correlation_id: 'store-test',
    saga_id: `arn:aws:states:us-east-1:000000000000:execution:ecommerce-order-saga:${orderId}`,
    request_hash: 'h',
  };
  return appendEvent(store, orderId, () => newOrderEvent('OrderPlaced', data, data.placed_at, 'store-test'));
}

const orderId = () => `ord_${uniqueId('store').replace(/[^A-Za-z0-9]/g, '')}`;

describe('the event store on DynamoDB Local', () => {
  it('20 concurrent appenders: seqs 1..n without gap or duplicate, each event once, the read model at the last seq', async () => {
    const id = orderId();
    await placeDirectly(id);
    const steps = Array.from({ length: 20 }, (_, i) => `step${i}`);
    const results = await Promise.all(steps.map((step) => recordStep(store, id, 'SagaStepFailed', { step, error: 'TestError', cause: 'concurrency test' })));
    expect(results.every((r) => r.appended)).toBe(true);

    const log = await store.load(id);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    for (const step of steps) expect(log.filter((e) => e.key === `SagaStepFailed#${step}`)).toHaveLength(1);
    const readModel = await store.getOrder(id);
    expect(readModel!.version).toBe(log.at(-1)!.seq);
    expect(fold(id, log)!.version).toBe(readModel!.version);
    // retrying all of them appends nothing
    const retried = await Promise.all(steps.map((step) => recordStep(store, id, 'SagaStepFailed', { step, error: 'TestError', cause: 'again' })));
    expect(retried.some((r) => r.appended)).toBe(false);
    expect((await store.load(id)).length).toBe(log.length);
  });

  it('refuses an append decided on an old version, with nothing written', async () => {
    const id = orderId();
    const { order } = await placeDirectly(id);
    const failed = newOrderEvent('SagaStepFailed', { step: 'x', error: 'E', cause: '' }, new Date().toISOString());
    await store.append(id, 1, [failed], { ...order, status: 'COMPENSATING', version: 2 }, []);
    await expect(store.append(id, 1, [{ ...failed, key: 'SagaStepFailed#y' }], { ...order, status: 'COMPENSATING', version: 2 }, [])).rejects.toBeInstanceOf(ConcurrentAppendError);
    // a first event for an order that exists is refused too
    await expect(store.append(id, 0, [failed], order, [])).rejects.toBeInstanceOf(ConcurrentAppendError);
    expect((await store.load(id)).map((e) => e.key)).toEqual(['OrderPlaced', 'SagaStepFailed#x']);
  });

  it('writes the outbox event with the append, keyed by the order', async () => {
    const id = orderId();
    await placeDirectly(id);
    const doc = DynamoDBDocumentClient.from(client);
    const out = await doc.send(new QueryCommand({ TableName: outboxTable, KeyConditionExpression: 'aggregate_id = :a', ExpressionAttributeValues: { ':a': id } }));
    expect(out.Items!.map((i) => [i.type, i.topic, i.key])).toEqual([['order.placed', 'order-events', id]]);
  });
});
