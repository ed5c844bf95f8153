/**
 * The saga's invariants under contention: 200 orders placed at once, one unit each, for a
 * product with 50 in stock. Exactly 50 complete (confirmed, then their stock committed) and 150
 * are cancelled as out of stock; the stock ends at 0 with nothing reserved and was never negative
 * on the way (its record sampled while the sagas ran, and every version of it
 * followed on Kafka); every captured payment belongs to a completed order, nothing else was
 * charged (at Payments and at the provider); every accepted order is at an end. The time each
 * took (placed_at to its last update) is printed, not asserted: speed is the benchmarks' to
 * measure (the issue's bar is 30 s; quiet 2-core runs here: 24 to 33 s).
 * A request the platform throttles (429) or cannot serve now (5xx) is sent again with the same
 * Idempotency-Key, as a client would: 200 orders are accepted, each once.
 */
import { checkInvariants, watchStock, type StockWatch } from '../support/invariants';
import { call, endpoints, uniqueId } from '../support/local-cloud';
import { closeSagaClients, eventTypes, orderStatuses, sagaProduct, stockRecord } from '../support/saga';

const ORDERS = 200;
const STOCK = 50;

const COMPLETED_LOG = ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderConfirmed', 'InventoryCommitted'];
const OUT_OF_STOCK_LOG = ['OrderPlaced', 'SagaStepFailed', 'InventoryReleased', 'OrderCancelled'];

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

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Places one order, sending it again under the same Idempotency-Key while the platform answers 429 or 5xx. */
async function placeOnce(productId: string): Promise<{ orderId: string; tries: number }> {
  const key = uniqueId('inv');
  const body = { user_id: uniqueId('user'), items: [{ product_id: productId, quantity: 1 }] };
  for (let tries = 1; ; tries++) {
    const res = await call('/api/orders', { method: 'POST', body, headers: { 'idempotency-key': key } });
    if (res.status === 202) return { orderId: res.body.order_id, tries };
    const retryable = res.status === 429 || res.status >= 500 || (res.status === 409 && res.body?.error?.code === 'request_in_progress');
    if (!retryable || tries >= 20) throw new Error(`POST /api/orders: ${res.status} ${JSON.stringify(res.body)} after ${tries} tries`);
    await pause(100 * tries);
  }
}

afterAll(() => closeSagaClients());

describe('saga invariants: 200 concurrent orders for a product with 50 in stock', () => {
  let watch: StockWatch | undefined;
  afterAll(async () => watch?.stop());

  it('completes exactly 50, cancels 150 as out of stock, never oversells, and every captured payment has its order', async () => {
    const product = await sagaProduct({ price: 1.25, stock: STOCK });
    watch = await watchStock(endpoints(), [product]);

    // sample the stock record for as long as the orders run (read from its table through the edge:
    // the sampling and the waiting below load no Lambda function the sagas need)
    const samples: Array<{ available: number; reserved: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await stockRecord(product));
        await pause(50);
      }
    })();

    const started = Date.now();
    let placed: Array<{ orderId: string; tries: number }>;
    let allEndedMs: number;
    try {
      placed = await Promise.all(Array.from({ length: ORDERS }, () => placeOnce(product)));
      const acceptedMs = Date.now() - started;
      const ids = placed.map((p) => p.orderId);
      expect(new Set(ids).size).toBe(ORDERS);

      // wait for every order to end, in Orders' read model
      const deadline = Date.now() + 420_000;
      for (;;) {
        const statuses = await orderStatuses(ids);
        const open = ids.filter((id) => !['COMPLETED', 'CANCELLED'].includes(statuses.get(id) ?? ''));
        if (!open.length) break;
        if (Date.now() > deadline) throw new Error(`${open.length} accepted orders not at an end 420 s after the first was placed: ${open.slice(0, 5).join(', ')}`);
        await pause(500);
      }
      allEndedMs = Date.now() - started;
      console.log(`invariants: ${ORDERS} orders accepted in ${acceptedMs} ms (${placed.filter((p) => p.tries > 1).length} sent again), all at an end ${allEndedMs} ms after the first POST`);
    } finally {
      sampling = false;
      await sampler;
    }

    // the stores, read and checked (design.md's reliability promises)
    const report = await checkInvariants(endpoints(), { orderIds: placed.map((p) => p.orderId), products: { [product]: { initial: STOCK } }, provider: true });
    console.log(`invariants: the longest placed-to-end time was ${report.orders.max_duration_ms} ms; ${samples.length} stock samples`);
    expect(report.violations).toEqual([]);
    expect(report.orders).toMatchObject({ accepted: ORDERS, by_status: { COMPLETED: STOCK, CANCELLED: ORDERS - STOCK }, reasons: { out_of_stock: ORDERS - STOCK }, open: [] });
    expect(report.stock[product]).toEqual({ initial: STOCK, available: 0, reserved: 0, committed: STOCK, released_reservations: 0 });
    expect(report.payments).toEqual({ CAPTURED: STOCK, NONE: ORDERS - STOCK });
    expect(report.provider).toEqual({ charged: STOCK, refunded: 0, none: ORDERS - STOCK });
    // each order's log: the completed ones went through CONFIRMED, the cancelled ones reserved nothing
    const logs = await mapLimit(report.details, 4, async (d) => ({ status: d.status, events: await eventTypes(d.order_id) }));
    expect(logs.filter((l) => l.status === 'COMPLETED').every((l) => JSON.stringify(l.events) === JSON.stringify(COMPLETED_LOG))).toBe(true);
    expect(logs.filter((l) => l.status === 'CANCELLED').every((l) => JSON.stringify(l.events) === JSON.stringify(OUT_OF_STOCK_LOG))).toBe(true);

    // never negative on the way: every sample of the record...
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((s) => s.available < 0 || s.reserved < 0 || s.available + s.reserved > STOCK)).toEqual([]);
    // ...and every version of the stock record (created 1, then 50 reserves and 50 commits: 101), on Kafka
    await watch.reached(product, 1 + 2 * STOCK, 120_000);
    const levels = watch.report({ [product]: STOCK });
    expect(levels.violations).toEqual([]);
    expect(levels.gaps[product]).toEqual([]);
    expect(levels.levels[product]!.at(-1)).toEqual({ version: 1 + 2 * STOCK, available: 0, reserved: 0 });
    expect(Math.min(...levels.levels[product]!.map((l) => l.available))).toBe(0);
  }, 600_000);
});
