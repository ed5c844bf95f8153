/**
 * What the saga's end-to-end tests share on the global local cloud: a product of their own with
 * its stock in Inventory, placing an order (with a saga fault, an Idempotency-Key), waiting for its
 * end, and reading each store's side of it: the stock and the payment through the API, the
 * reservation through the edge (DynamoDB), the execution's history through Step Functions.
 */
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, type BatchGetItemCommandInput, type BatchGetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { paymentIdFor } from '../../lambdas/payments/domain/payment';
import type { Endpoints } from '../../local/endpoints';
import { awsClientConfig, call, uniqueId } from './local-cloud';
import { orderableProduct, orderReaches } from './orders';
import { eventually } from './poll';

export { paymentIdFor };

export interface Stock {
  product_id: string;
  available: number;
  reserved: number;
  version: number;
}

export async function stockOf(productId: string): Promise<Stock> {
  const res = await call(`/api/inventory/${encodeURIComponent(productId)}`);
  if (res.status !== 200) throw new Error(`GET /api/inventory/${productId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Stock;
}

/** A new product in the catalog, orderable (its price in Orders) and with its stock in Inventory. */
export async function sagaProduct(fields: { price: number; stock: number }): Promise<string> {
  const productId = await orderableProduct({ product_id: uniqueId('SAGA'), ...fields });
  await eventually(`the stock of ${productId} in inventory`, async () => {
    const res = await call(`/api/inventory/${productId}`);
    return res.status === 200 && res.body.available === fields.stock ? true : undefined;
  });
  return productId;
}

export interface PlaceOptions {
  /** x-saga-fault, e.g. `confirm=crash` or `payment=delay=5000` (the test cloud runs with --fault-injection) */
  fault?: string;
  idempotencyKey?: string;
  card?: string;
}

export function placeOrder(userId: string, items: Array<{ product_id: string; quantity: number; price?: number }>, options: PlaceOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.fault) headers['x-saga-fault'] = options.fault;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const body = { user_id: userId, items, ...(options.card ? { payment_method: { card_number: options.card } } : {}) };
  return call('/api/orders', { method: 'POST', body, headers });
}

/** Waits for the order to reach an end (COMPLETED or CANCELLED) and resolves its read model. */
export const orderEnds = (orderId: string, timeoutMs = 60_000) => orderReaches(orderId, ['COMPLETED', 'CANCELLED'], timeoutMs);

/** GET /api/orders/{id}/status once its latest execution has ended. */
export async function endedStatus(orderId: string, timeoutMs = 60_000) {
  return eventually(
    `the saga of ${orderId} to end`,
    async () => {
      const res = await call(`/api/orders/${orderId}/status`);
      return res.status === 200 && res.body.saga && !['RUNNING', 'NOT_STARTED'].includes(res.body.saga.status) ? res.body : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

export async function eventTypes(orderId: string): Promise<string[]> {
  const res = await call(`/api/orders/${orderId}/events`);
  return (res.body.events as Array<{ type: string }>).map((e) => e.type);
}

/** The order's payment as Payments answers it (its id derives from the order id), or undefined when it has none. */
export async function paymentOf(orderId: string): Promise<Record<string, any> | undefined> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await call(`/api/payments/${paymentIdFor(orderId)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET /api/payments/${paymentIdFor(orderId)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let db: DynamoDBClient | undefined;
let reservationsTable: Promise<string> | undefined;
const tables = new Map<string, Promise<string>>();

/** The global cloud's physical name of a table (`Stock` -> `EcommerceStateful-StockTable...`). */
function tableNamed(logical: string): Promise<string> {
  db ??= new DynamoDBClient(awsClientConfig());
  const client = db;
  if (!tables.has(logical)) {
    tables.set(
      logical,
      client.send(new ListTablesCommand({})).then((out) => {
        const name = out.TableNames?.find((n) => new RegExp(`-${logical}Table[0-9A-F]+$`).test(n)); // not NotificationOrdersTable
        if (!name) throw new Error(`no ${logical} table`);
        return name;
      }),
    );
  }
  return tables.get(logical)!;
}

/**
 * The product's stock record read straight from Inventory's table through the edge (a consistent
 * read, no Lambda: sampling it while sagas run adds no load to the functions they need).
 */
export async function stockRecord(productId: string): Promise<{ available: number; reserved: number; version: number }> {
  const table = await tableNamed('Stock'); // first: it creates the client
  const out = await db!.send(new GetItemCommand({ TableName: table, Key: { product_id: { S: productId } }, ConsistentRead: true }));
  if (!out.Item) throw new Error(`no stock record for ${productId}`);
  const r = unmarshall(out.Item) as { available: number; reserved?: number; version: number };
  return { available: r.available, reserved: r.reserved ?? 0, version: r.version };
}

/** The orders' statuses in Orders' read model, read through the edge (consistent, 100 a call, no Lambda). */
export async function orderStatuses(orderIds: string[]): Promise<Map<string, string>> {
  const table = await tableNamed('Orders');
  const out = new Map<string, string>();
  for (let i = 0; i < orderIds.length; i += 100) {
    let keys: BatchGetItemCommandInput['RequestItems'] = { [table]: { Keys: orderIds.slice(i, i + 100).map((id) => ({ order_id: { S: id } })), ConsistentRead: true } };
    while (keys && Object.keys(keys).length) {
      const res: BatchGetItemCommandOutput = await db!.send(new BatchGetItemCommand({ RequestItems: keys }));
      for (const item of res.Responses?.[table] ?? []) out.set(item.order_id!.S!, item.status!.S!);
      keys = res.UnprocessedKeys;
    }
  }
  return out;
}

/** The order's reservation as Inventory stored it (read through the edge), or undefined. */
export async function reservationOf(orderId: string): Promise<{ status: string; lines: Array<{ product_id: string; quantity: number }> } | undefined> {
  db ??= new DynamoDBClient(awsClientConfig());
  reservationsTable ??= db.send(new ListTablesCommand({})).then((out) => {
    const name = out.TableNames?.find((n) => n.includes('-ReservationsTable'));
    if (!name) throw new Error('no reservations table');
    return name;
  });
  const out = await db.send(new GetItemCommand({ TableName: await reservationsTable, Key: { reservation_id: { S: orderId } }, ConsistentRead: true }));
  return out.Item ? (unmarshall(out.Item) as { status: string; lines: Array<{ product_id: string; quantity: number }> }) : undefined;
}

let sfn: SFNClient | undefined;
export const stepFunctions = () => (sfn ??= new SFNClient({ ...awsClientConfig(), maxAttempts: 5 }));

/** Every event of an execution's history, oldest first. */
export async function executionHistory(executionArn: string, client: SFNClient = stepFunctions()): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const out = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return events;
}

/** The names of the Task states an execution entered, in order (a state entered again after a resume counts again). */
export function tasksEntered(history: HistoryEvent[]): string[] {
  return history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name!);
}

/** States that exited more than once in one execution (none may: the saga has no loops). */
export function statesExitedTwice(history: HistoryEvent[]): string[] {
  const exits = new Map<string, number>();
  for (const e of history) {
    const name = e.stateExitedEventDetails?.name;
    if (name) exits.set(name, (exits.get(name) ?? 0) + 1);
  }
  return [...exits].filter(([, n]) => n > 1).map(([name]) => name);
}

export function closeSagaClients(): void {
  db?.destroy();
  sfn?.destroy();
  db = undefined;
  sfn = undefined;
  reservationsTable = undefined;
  tables.clear();
}

/**
 * `call` against another local cloud than the global one (a test's own, started with startCli):
 * the internal plan's key, JSON in and out.
 */
export async function callOn(e: Endpoints, pathAndQuery: string, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'x-api-key': e.api_keys.internal ?? e.api_key, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${e.api_url}${pathAndQuery}`, {
    method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined } as { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
