/**
 * The invariants a run ends with, read from the stores after a settle period: orders through the
 * Orders API, stock through the Inventory API, reservations and payments from their DynamoDB
 * tables through the edge endpoint (the table names from the functions' configuration, as an
 * operator would find them).
 *
 *   no_oversold_unit        available >= 0, reserved >= 0, and no product sold more than it ever had
 *   orders_at_an_end        every accepted order (and every order the run's users have) is COMPLETED or CANCELLED; none lost
 *   payments_accounted      every CAPTURED payment belongs to a COMPLETED order; a cancelled order's payment was refunded (or never captured)
 *   completed_orders_paid   every COMPLETED order has its payment CAPTURED
 *   stock_conserved         available + reserved + committed = starting stock + restocks, per product
 *   no_stuck_reservation    no reservation left RESERVED once its order ended
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createAgent, json, send } from './http';
import type { AcceptedOrder, RestockOutcome } from './runner';
import type { Fixture } from './scenarios';
import { awsConfig, functionNamed, type Target } from './target';

export interface InvariantCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** the first violations, for a reader to follow up */
  violations: unknown[];
}

export interface OrderFigures {
  accepted: number;
  /** orders the run's users have that no 202 announced (their answer was lost in a fault) */
  found_unacknowledged: number;
  completed: number;
  cancelled: number;
  open: number;
  lost: number;
  cancel_reasons: Record<string, number>;
  /** seconds from the load's end until every order was at an end (undefined: not within the settle period) */
  settled_after_s?: number;
}

export interface InvariantReport {
  ok: boolean;
  checks: InvariantCheck[];
  orders: OrderFigures;
  stock: Array<{ product_id: string; start: number; restocked: number; restocks_unknown: number; available: number; reserved: number; committed: number }>;
  payments: Record<string, number>;
}

interface OrderView {
  order_id: string;
  status: string;
  user_id: string;
  items: Array<{ product_id: string; quantity: number }>;
  cancellation?: { reason?: string };
  reason?: string;
}

const END = new Set(['COMPLETED', 'CANCELLED']);
const MAX_VIOLATIONS = 20;

export async function checkInvariants(
  target: () => Target,
  fixture: Fixture,
  run: { accepted: AcceptedOrder[]; restocks: RestockOutcome[] },
  o: { settleMs?: number; log?: (m: string) => void } = {},
): Promise<InvariantReport> {
  const agent = createAgent(16);
  const get = async (path: string) => {
    const t = target();
    for (let attempt = 0; ; attempt++) {
      const r = await send(agent, { method: 'GET', url: `${t.apiUrl}${path}`, headers: { 'x-api-key': t.apiKey } });
      if (typeof r.status === 'number' && r.status < 500 && r.status !== 429) return r;
      if (attempt >= 20) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 200)}`);
      await pause(500);
    }
  };
  const listOrders = async (): Promise<Map<string, OrderView>> => {
    const all = new Map<string, OrderView>();
    for (const user of fixture.users) {
      let cursor: string | null = null;
      do {
        const r = await get(`/api/orders?user_id=${encodeURIComponent(user)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        const page = json<{ items: OrderView[]; next_cursor: string | null }>(r.body);
        if (r.status !== 200 || !page) throw new Error(`listing ${user}'s orders: ${r.status} ${r.body.slice(0, 200)}`);
        for (const item of page.items) all.set(item.order_id, item);
        cursor = page.next_cursor;
      } while (cursor);
    }
    return all;
  };

  // settle: until every order is at an end, or the settle period is over
  const settleStart = Date.now();
  const deadline = settleStart + (o.settleMs ?? 420_000);
  let orders: Map<string, OrderView>;
  let settledAfter: number | undefined;
  let lastNote = 0;
  for (;;) {
    orders = await listOrders();
    const open = [...orders.values()].filter((x) => !END.has(x.status)).length;
    const missing = run.accepted.filter((a) => !orders.has(a.order_id)).length;
    if (open === 0 && missing === 0) {
      settledAfter = Math.round((Date.now() - settleStart) / 100) / 10;
      break;
    }
    if (Date.now() > deadline) break;
    if (Date.now() - lastNote > 5000) {
      o.log?.(`settling: ${open} orders not at an end, ${missing} accepted orders not listed yet`);
      lastNote = Date.now();
    }
    await pause(1000);
  }
  // an accepted order the listing lacks is looked up by id before it is called lost
  const lost: string[] = [];
  for (const a of run.accepted) {
    if (orders.has(a.order_id)) continue;
    const r = await get(`/api/orders/${a.order_id}`);
    const view = json<OrderView>(r.body);
    if (r.status === 200 && view) orders.set(a.order_id, view);
    else lost.push(a.order_id);
  }

  const t = target();
  const lambda = new LambdaClient(awsConfig(t));
  const env = async (fn: string) => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionNamed(t, fn) }))).Environment?.Variables ?? {};
  const [inventoryEnv, paymentsEnv] = [await env('InventoryApiFn'), await env('PaymentsApiFn')];
  lambda.destroy();
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(awsConfig(t)));
  const scan = async <T>(table: string): Promise<T[]> => {
    const out: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
      out.push(...((page.Items ?? []) as T[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  };
  const orderIds = new Set(orders.keys());
  const reservations = (await scan<{ reservation_id: string; status: string; lines: Array<{ product_id: string; quantity: number }> }>(inventoryEnv.RESERVATIONS_TABLE!)).filter((r) =>
    orderIds.has(r.reservation_id),
  );
  const payments = (await scan<{ payment_id: string; order_id: string; status: string; uncertain?: boolean }>(paymentsEnv.PAYMENTS_TABLE!)).filter((p) => orderIds.has(p.order_id));
  doc.destroy();

  // stock now, through the API
  const stock: InvariantReport['stock'] = [];
  for (const p of fixture.products) {
    const r = await get(`/api/inventory/${encodeURIComponent(p.product_id)}`);
    const s = json<{ available: number; reserved: number }>(r.body);
    if (r.status !== 200 || !s) throw new Error(`stock of ${p.product_id}: ${r.status} ${r.body.slice(0, 200)}`);
    const mine = run.restocks.filter((x) => x.product_id === p.product_id);
    const committed = reservations
      .filter((x) => x.status === 'COMMITTED')
      .flatMap((x) => x.lines)
      .filter((l) => l.product_id === p.product_id)
      .reduce((a, l) => a + l.quantity, 0);
    stock.push({
      product_id: p.product_id,
      start: p.start_stock,
      restocked: mine.filter((x) => x.applied === true).reduce((a, x) => a + x.quantity, 0),
      restocks_unknown: mine.filter((x) => x.applied === undefined).length,
      available: s.available,
      reserved: s.reserved,
      committed,
    });
  }
  agent.destroy();

  const all = [...orders.values()];
  const byStatus = (s: string) => all.filter((x) => x.status === s);
  const checks: InvariantCheck[] = [];
  const check = (name: string, violations: unknown[], detail: string) =>
    checks.push({ name, ok: violations.length === 0, detail, violations: violations.slice(0, MAX_VIOLATIONS) });

  check(
    'no_oversold_unit',
    stock.filter((s) => s.available < 0 || s.reserved < 0 || s.committed > s.start + s.restocked + s.restocks_unknown * fixture.restock_quantity),
    `${stock.length} products: none below zero, none committed beyond its stock and restocks (${stock.reduce((a, s) => a + s.committed, 0)} units sold)`,
  );
  const open = all.filter((x) => !END.has(x.status));
  check(
    'orders_at_an_end',
    [...open.map((x) => ({ order_id: x.order_id, status: x.status })), ...lost.map((id) => ({ order_id: id, status: 'LOST' }))],
    `${all.length} orders (${run.accepted.length} accepted with 202): ${byStatus('COMPLETED').length} completed, ${byStatus('CANCELLED').length} cancelled, ${open.length} not at an end, ${lost.length} lost`,
  );
  const paymentOf = new Map(payments.map((p) => [p.order_id, p]));
  check(
    'payments_accounted',
    payments
      .filter((p) => (p.status === 'CAPTURED' && orders.get(p.order_id)?.status !== 'COMPLETED') || p.status === 'PENDING' || (p.status === 'FAILED' && p.uncertain))
      .map((p) => ({ payment_id: p.payment_id, order_id: p.order_id, status: p.status, uncertain: p.uncertain, order_status: orders.get(p.order_id)?.status })),
    `${payments.length} payments of the run's orders: every captured one belongs to a completed order; the others were refunded, declined or voided, none pending or in doubt`,
  );
  check(
    'completed_orders_paid',
    byStatus('COMPLETED')
      .filter((x) => paymentOf.get(x.order_id)?.status !== 'CAPTURED')
      .map((x) => ({ order_id: x.order_id, payment: paymentOf.get(x.order_id)?.status ?? 'none' })),
    `${byStatus('COMPLETED').length} completed orders, each with its payment captured`,
  );
  check(
    'stock_conserved',
    stock.filter((s) => {
      const diff = s.available + s.reserved + s.committed - s.start - s.restocked;
      return diff < 0 || diff > s.restocks_unknown * fixture.restock_quantity || diff % fixture.restock_quantity !== 0;
    }),
    'available + reserved + committed = starting stock + restocks for every product' +
      (stock.some((s) => s.restocks_unknown) ? ' (restocks without an answer counted as applied or not, whichever balances)' : ''),
  );
  check(
    'no_stuck_reservation',
    reservations.filter((r) => r.status === 'RESERVED' && END.has(orders.get(r.reservation_id)?.status ?? '')).map((r) => ({ reservation_id: r.reservation_id, order_status: orders.get(r.reservation_id)?.status })),
    `${reservations.length} reservations: none still holding stock for an ended order`,
  );

  const acceptedIds = new Set(run.accepted.map((a) => a.order_id));
  const reasons: Record<string, number> = {};
  for (const x of byStatus('CANCELLED')) {
    const reason = x.cancellation?.reason ?? x.reason ?? 'unknown';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  const paymentStatuses: Record<string, number> = {};
  for (const p of payments) paymentStatuses[p.status] = (paymentStatuses[p.status] ?? 0) + 1;
  return {
    ok: checks.every((c) => c.ok),
    checks,
    orders: {
      accepted: run.accepted.length,
      found_unacknowledged: all.filter((x) => !acceptedIds.has(x.order_id)).length,
      completed: byStatus('COMPLETED').length,
      cancelled: byStatus('CANCELLED').length,
      open: open.length,
      lost: lost.length,
      cancel_reasons: reasons,
      settled_after_s: settledAfter,
    },
    stock,
    payments: paymentStatuses,
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
