/**
 * The saga's promises, checked on a running local cloud for a set of accepted orders and the
 * products they bought, by reading every store that holds part of the truth: the orders through
 * the API (the read model), the stock through the API, the reservations and the payments through
 * the edge (DynamoDB), and, optionally, the payment provider itself (what it charged and refunded
 * under each order's payment key). No test framework here: a load or chaos tool reuses it and
 * prints the report.
 *
 * The invariants (design.md, "Reliability": no oversold unit, no lost accepted order, no money
 * without an order or a refund):
 * - every accepted order is at an end (COMPLETED or CANCELLED);
 * - a COMPLETED order has its reservation COMMITTED with the order's lines and its payment
 *   CAPTURED for the order's total (and the provider's charge stands, unrefunded);
 * - a CANCELLED order holds no stock (no reservation, or one RELEASED) and no money (no payment,
 *   or one DECLINED, VOIDED, FAILED or REFUNDED; at the provider nothing captured, or refunded whole);
 * - every captured payment belongs to an order that is confirmed (or completed);
 * - per product: nothing negative, and the units are conserved: what it had before the orders =
 *   available + reserved + the units committed by the orders (so the scope's products must be
 *   bought only by the scope's orders), with nothing left reserved once every order has ended.
 *
 * `watchStock` adds the "never negative on the way" half: it follows every
 * `inventory.stock.changed` event of the products on Kafka (see there why that sees every state).
 */
import { BatchGetItemCommand, type BatchGetItemCommandOutput, DynamoDBClient, ListTablesCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { paymentIdFor } from '../../lambdas/payments/domain/payment';
import type { Endpoints } from '../../local/endpoints';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const PROVIDER_SECRET_ID = 'ecommerce/payments/provider-api-key';
const END = new Set(['COMPLETED', 'CANCELLED']);

export interface InvariantScope {
  /** every order the API accepted (answered 202 for) */
  orderIds: string[];
  /** the products those orders bought, with the units each had before them (its stock plus restocks) */
  products: Record<string, { initial: number }>;
  /** also ask the payment provider what it charged and refunded under each order's payment key (its stats count these as lookups) */
  provider?: boolean;
}

interface OrderView {
  order_id: string;
  status: string;
  total_minor: number;
  currency: string;
  items: Array<{ product_id: string; quantity: number }>;
  placed_at: string;
  updated_at?: string;
  cancellation?: { reason: string; failed_step?: string };
}
interface Reservation {
  reservation_id: string;
  status: 'RESERVED' | 'RELEASED' | 'COMMITTED';
  lines: Array<{ product_id: string; quantity: number }>;
}
interface Payment {
  payment_id: string;
  order_id: string;
  status: string;
  amount_minor: number;
  currency: string;
  uncertain?: boolean;
}
interface ProviderCharge {
  id: string;
  status: string;
  amount: number;
  amount_refunded: number;
  refunded: boolean;
}

export interface OrderFinding {
  order_id: string;
  status: string;
  reason?: string;
  reservation: string;
  payment: string;
  provider?: string;
  /** placed_at to the order's last update, for orders at an end (ms) */
  duration_ms?: number;
}

export interface InvariantReport {
  ok: boolean;
  /** one line per broken promise, naming the order or product */
  violations: string[];
  orders: {
    accepted: number;
    by_status: Record<string, number>;
    /** cancellation reasons of the CANCELLED orders */
    reasons: Record<string, number>;
    /** accepted orders not at an end */
    open: string[];
    /** the longest placed-to-end time of the orders at an end (ms) */
    max_duration_ms: number;
  };
  stock: Record<string, { initial: number; available: number; reserved: number; committed: number; released_reservations: number }>;
  payments: Record<string, number>;
  provider?: { charged: number; refunded: number; none: number };
  details: OrderFinding[];
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function apiGet<T>(e: Endpoints, path: string): Promise<{ status: number; body: T }> {
  const key = e.api_keys.internal ?? e.api_key;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${e.api_url}${path}`, { headers: { 'x-api-key': key } });
    const text = await res.text();
    // a throttled or briefly unavailable read is asked again: the report is about the stores, not the API's load
    if ((res.status === 429 || res.status >= 500) && attempt < 5) {
      await new Promise((r) => setTimeout(r, 200 * attempt));
      continue;
    }
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** The local cloud's physical table name of a logical one (`Reservations` -> `EcommerceStateful-ReservationsTable...`). */
async function tableName(db: DynamoDBClient, logical: string): Promise<string> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await db.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(out.TableNames ?? []));
    start = out.LastEvaluatedTableName;
  } while (start);
  const found = names.find((n) => n.includes(`-${logical}Table`));
  if (!found) throw new Error(`no ${logical} table among ${names.join(', ')}`);
  return found;
}

/** Items by key, 100 a call, with unprocessed keys asked again. */
async function batchGet<T>(db: DynamoDBClient, table: string, keyName: string, ids: string[]): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Array<Record<string, AttributeValue>> | undefined = [...new Set(ids.slice(i, i + 100))].map((id) => ({ [keyName]: { S: id } }));
    for (let round = 0; keys?.length; round++) {
      if (round > 20) throw new Error(`BatchGetItem on ${table} left keys unprocessed`);
      const res: BatchGetItemCommandOutput = await db.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of res.Responses?.[table] ?? []) {
        const v = unmarshall(item) as Record<string, unknown>;
        out.set(String(v[keyName]), v as T);
      }
      keys = res.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return out;
}

async function providerKey(e: Endpoints): Promise<string> {
  const sm = new SecretsManagerClient({ endpoint: e.edge_url, region: e.region, credentials });
  try {
    const value = (await sm.send(new GetSecretValueCommand({ SecretId: PROVIDER_SECRET_ID }))).SecretString ?? '';
    return value.startsWith('{') ? (JSON.parse(value) as { api_key: string }).api_key : value;
  } finally {
    sm.destroy();
  }
}

async function providerCharge(e: Endpoints, key: string, paymentId: string): Promise<ProviderCharge | undefined> {
  const url = e.services.payment_provider;
  if (!url) throw new Error('the endpoints document has no services.payment_provider');
  const res = await fetch(`${url}/v1/charges?idempotency_key=${encodeURIComponent(paymentId)}`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`provider lookup of ${paymentId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: ProviderCharge[] }).data.find((c) => c.status === 'succeeded');
}

const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** Reads every store for the scope's orders and products and checks the invariants above. */
export async function checkInvariants(e: Endpoints, scope: InvariantScope): Promise<InvariantReport> {
  const db = new DynamoDBClient({ endpoint: e.edge_url, region: e.region, credentials, maxAttempts: 6 });
  try {
    const violations: string[] = [];
    const ids = [...new Set(scope.orderIds)];
    if (ids.length !== scope.orderIds.length) violations.push(`the scope lists ${scope.orderIds.length - ids.length} order ids twice: the API accepted one order twice`);

    const orders = await mapLimit(ids, 8, async (id) => {
      const res = await apiGet<OrderView>(e, `/api/orders/${encodeURIComponent(id)}`);
      if (res.status !== 200) violations.push(`order ${id}: accepted but GET /api/orders/${id} answers ${res.status} (a lost order)`);
      return res.status === 200 ? res.body : undefined;
    });
    const [reservationsTable, paymentsTable] = await Promise.all([tableName(db, 'Reservations'), tableName(db, 'Payments')]);
    const reservations = await batchGet<Reservation>(db, reservationsTable, 'reservation_id', ids);
    const payments = await batchGet<Payment>(db, paymentsTable, 'payment_id', ids.map(paymentIdFor));
    const key = scope.provider ? await providerKey(e) : undefined;
    const charges = key ? await mapLimit(ids, 8, (id) => providerCharge(e, key, paymentIdFor(id))) : [];

    const byStatus: Record<string, number> = {};
    const reasons: Record<string, number> = {};
    const paymentCounts: Record<string, number> = {};
    const provider = { charged: 0, refunded: 0, none: 0 };
    const committed = new Map<string, number>();
    const reservedNow = new Map<string, number>();
    const released = new Map<string, number>();
    const open: string[] = [];
    const details: OrderFinding[] = [];
    let maxDuration = 0;

    ids.forEach((id, i) => {
      const o = orders[i];
      if (!o) return;
      const r = reservations.get(id);
      const p = payments.get(paymentIdFor(id));
      const c = charges[i];
      count(byStatus, o.status);
      count(paymentCounts, p ? p.status : 'NONE');
      const finding: OrderFinding = { order_id: id, status: o.status, reservation: r ? `${r.status}(${r.lines.length} lines)` : 'none', payment: p ? p.status : 'none' };
      if (key) finding.provider = c ? (c.refunded ? 'refunded' : c.amount_refunded ? `partly refunded ${c.amount_refunded}` : `charged ${c.amount}`) : 'none';
      if (c?.refunded) provider.refunded++;
      else if (c) provider.charged++;
      else if (key) provider.none++;
      for (const l of r?.lines ?? []) {
        const into = r!.status === 'COMMITTED' ? committed : r!.status === 'RESERVED' ? reservedNow : released;
        into.set(l.product_id, (into.get(l.product_id) ?? 0) + l.quantity);
      }
      const orderLines = JSON.stringify(o.items.map((l) => [l.product_id, l.quantity]).sort());
      const where = `order ${id} (${o.status})`;

      if (!END.has(o.status)) open.push(id);
      else if (o.updated_at) {
        finding.duration_ms = Date.parse(o.updated_at) - Date.parse(o.placed_at);
        maxDuration = Math.max(maxDuration, finding.duration_ms);
      }
      if (o.status === 'COMPLETED') {
        if (r?.status !== 'COMMITTED') violations.push(`${where}: its reservation is ${r?.status ?? 'missing'}, not COMMITTED`);
        else if (JSON.stringify(r.lines.map((l) => [l.product_id, l.quantity]).sort()) !== orderLines) violations.push(`${where}: the reservation's lines differ from the order's`);
        if (p?.status !== 'CAPTURED') violations.push(`${where}: its payment is ${p?.status ?? 'missing'}, not CAPTURED`);
        else if (p.amount_minor !== o.total_minor || p.currency !== o.currency) violations.push(`${where}: captured ${p.amount_minor} ${p.currency} for a total of ${o.total_minor} ${o.currency}`);
        if (key && (!c || c.amount_refunded !== 0 || c.amount !== o.total_minor)) violations.push(`${where}: the provider has ${finding.provider} for a total of ${o.total_minor}`);
      }
      if (o.status === 'CANCELLED') {
        count(reasons, o.cancellation?.reason ?? 'none');
        if (r && r.status !== 'RELEASED') violations.push(`${where}: its reservation is ${r.status} (stock held by a cancelled order)`);
        if (p && !['DECLINED', 'VOIDED', 'FAILED', 'REFUNDED'].includes(p.status)) violations.push(`${where}: its payment is ${p.status} (money kept for a cancelled order)`);
        if (p?.status === 'FAILED' && p.uncertain) violations.push(`${where}: its payment FAILED with an uncertain outcome at the provider, never settled`);
        if (key && c && !c.refunded) violations.push(`${where}: the provider has ${finding.provider} (money without an order)`);
      }
      if (p?.status === 'CAPTURED' && !['CONFIRMED', 'COMPLETED'].includes(o.status)) violations.push(`${where}: a captured payment (${p.payment_id}) for an order that is not confirmed`);
      if (p && p.order_id !== id) violations.push(`${where}: the payment ${p.payment_id} names order ${p.order_id}`);
      details.push(finding);
    });
    for (const id of open) violations.push(`order ${id}: accepted, not at an end (${orders[ids.indexOf(id)]?.status})`);

    const stock: InvariantReport['stock'] = {};
    for (const [productId, { initial }] of Object.entries(scope.products)) {
      const res = await apiGet<{ available: number; reserved: number }>(e, `/api/inventory/${encodeURIComponent(productId)}`);
      if (res.status !== 200) {
        violations.push(`product ${productId}: GET /api/inventory answers ${res.status}`);
        continue;
      }
      const { available, reserved } = res.body;
      const units = committed.get(productId) ?? 0;
      stock[productId] = { initial, available, reserved, committed: units, released_reservations: released.get(productId) ?? 0 };
      if (available < 0 || reserved < 0) violations.push(`product ${productId}: negative stock (available ${available}, reserved ${reserved})`);
      if (available + reserved + units !== initial) {
        violations.push(`product ${productId}: ${initial} units before, now ${available} available + ${reserved} reserved + ${units} committed = ${available + reserved + units}`);
      }
      if (reserved !== (reservedNow.get(productId) ?? 0)) violations.push(`product ${productId}: ${reserved} reserved, but the reservations hold ${reservedNow.get(productId) ?? 0}`);
      if (!open.length && reserved !== 0) violations.push(`product ${productId}: ${reserved} units still reserved after every order ended`);
    }

    return {
      ok: violations.length === 0,
      violations,
      orders: { accepted: ids.length, by_status: byStatus, reasons, open, max_duration_ms: maxDuration },
      stock,
      payments: paymentCounts,
      ...(key ? { provider } : {}),
      details,
    };
  } finally {
    db.destroy();
  }
}

export interface StockLevel {
  version: number;
  available: number;
  reserved: number;
}

export interface StockWatchReport {
  /** versions seen per product, in version order */
  levels: Record<string, StockLevel[]>;
  /** per product: versions missing between the first and the last seen (empty: every state was seen) */
  gaps: Record<string, number[]>;
  /** levels with a negative count, or with more units than the product had (available + reserved above `initial`) */
  violations: string[];
}

export interface StockWatch {
  /** resolves once the product's events reached `version` */
  reached(productId: string, version: number, timeoutMs?: number): Promise<void>;
  report(initial?: Record<string, number>): StockWatchReport;
  stop(): Promise<void>;
}

/**
 * Follows `inventory.stock.changed` on Kafka for some products. Inventory publishes one such event
 * for every new version of a stock record, from the stock table's stream (a DynamoDB stream holds
 * every modification of an item, in order), with the record's version; so the versions seen, when
 * they run without a gap from the first to the last, are every state the stock went through, not
 * a sample. A repeated event (a retried batch) has the same version and is counted once.
 * The watch starts at the topic's end as it is when `watchStock` resolves: start it before the
 * changes to observe.
 */
export async function watchStock(e: Endpoints, productIds: string[]): Promise<StockWatch> {
  const kafka = new Kafka({ clientId: 'stock-watch', brokers: [e.services.kafka!], logLevel: logLevel.NOTHING });
  const wanted = new Set(productIds);
  const seen = new Map<string, Map<number, StockLevel>>(productIds.map((p) => [p, new Map()]));
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets('inventory-events').finally(() => admin.disconnect());
  const consumer: Consumer = kafka.consumer({ groupId: `stock-watch-${process.pid}-${Date.now().toString(36)}`, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const p of ends) consumer.seek({ topic: 'inventory-events', partition: p.partition, offset: p.high });
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({ topic: 'inventory-events', fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value ? (JSON.parse(message.value.toString('utf8')) as { type: string; subject: string; data: StockLevel & { product_id: string } }) : undefined;
      if (value?.type !== 'inventory.stock.changed' || !wanted.has(value.subject)) return;
      const { version, available, reserved } = value.data;
      seen.get(value.subject)!.set(version, { version, available, reserved });
    },
  });
  await joined;

  const levels = (p: string) => [...(seen.get(p) ?? new Map<number, StockLevel>()).values()].sort((a, b) => a.version - b.version);
  return {
    async reached(productId, version, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!seen.get(productId)?.has(version)) {
        if (Date.now() > deadline) throw new Error(`the stock events of ${productId} did not reach version ${version} in ${timeoutMs} ms (last: ${levels(productId).at(-1)?.version})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    report(initial = {}) {
      const out: StockWatchReport = { levels: {}, gaps: {}, violations: [] };
      for (const p of productIds) {
        const ls = levels(p);
        out.levels[p] = ls;
        const gaps: number[] = [];
        for (let i = 1; i < ls.length; i++) for (let v = ls[i - 1]!.version + 1; v < ls[i]!.version; v++) gaps.push(v);
        out.gaps[p] = gaps;
        for (const l of ls) {
          if (l.available < 0 || l.reserved < 0) out.violations.push(`product ${p} version ${l.version}: available ${l.available}, reserved ${l.reserved}`);
          const most = initial[p];
          if (most !== undefined && l.available + l.reserved > most) out.violations.push(`product ${p} version ${l.version}: ${l.available + l.reserved} units held, more than the ${most} it had`);
        }
      }
      return out;
    },
    stop: () => consumer.disconnect(),
  };
}
