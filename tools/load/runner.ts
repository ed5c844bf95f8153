/**
 * The open-model load: requests leave at a fixed rate whatever the answers do (a closed loop of N
 * clients would slow down with the system under test and hide its queueing). A tick every 5 ms
 * sends what the schedule owes; a request that would pass the in-flight cap is recorded as
 * `skipped` rather than delayed, so the schedule never bends.
 */
import type http from 'node:http';
import { createAgent, json, send } from './http';
import { ORDER_SHARE, UNITS_PER_ORDER, nextRequest, productNames, seeded, type Fixture, type Scenario } from './scenarios';
import type { RequestRecord } from './stats';
import type { Target } from './target';

export interface LoadPhaseOptions {
  scenario: Scenario;
  rate: number;
  durationMs: number;
  /** the target now (a chaos run's restart changes its ports) */
  target: () => Target;
  fixture: Fixture;
  seed?: number;
  maxInFlight?: number;
  timeoutMs?: number;
  /** called every 500 ms with the figures so far */
  onProgress?: (p: LoadProgress) => void;
  /** faults to inject at offsets of the load phase */
  schedule?: Array<{ atMs: number; name: string; run: () => Promise<void> }>;
}

export interface LoadProgress {
  elapsedMs: number;
  durationMs: number;
  sent: number;
  done: number;
  inFlight: number;
  byClass: Record<string, number>;
  recentP95: number;
  note?: string;
}

export interface AcceptedOrder {
  order_id: string;
  /** when the 202 arrived (ms from the start) */
  at: number;
}

export interface RestockOutcome {
  product_id: string;
  quantity: number;
  /** true: 200; false: refused (4xx); undefined: no answer or 5xx (applied or not, unknown) */
  applied: boolean | undefined;
}

export interface LoadPhaseResult {
  records: RequestRecord[];
  accepted: AcceptedOrder[];
  /** order POSTs whose outcome is unknown (no answer, 5xx): they may have been placed */
  uncertainOrders: number;
  restocks: RestockOutcome[];
  durationMs: number;
  faults: Array<{ name: string; at_s: number; error?: string }>;
}

export async function runLoadPhase(o: LoadPhaseOptions): Promise<LoadPhaseResult> {
  const rng = seeded(o.seed ?? 1);
  const maxInFlight = o.maxInFlight ?? 2000;
  const agent: http.Agent = createAgent(512);
  const records: RequestRecord[] = [];
  const accepted: AcceptedOrder[] = [];
  const restocks: RestockOutcome[] = [];
  const faults: LoadPhaseResult['faults'] = [];
  const pending = new Set<Promise<void>>();
  let uncertainOrders = 0;
  let sent = 0;
  let note: string | undefined;
  const schedule = [...(o.schedule ?? [])].sort((a, b) => a.atMs - b.atMs);
  const faultRuns: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.floor((o.rate * o.durationMs) / 1000);

  const fire = (seq: number, at: number) => {
    const planned = nextRequest(o.scenario, rng, o.fixture, seq);
    if (pending.size >= maxInFlight) {
      records.push({ op: planned.op, at, ms: 0, status: 'skipped' });
      return;
    }
    const t = o.target();
    const p = send(agent, {
      method: planned.request.method,
      url: `${t.apiUrl}${planned.request.path}`,
      headers: { 'x-api-key': t.apiKey, ...planned.request.headers },
      body: planned.request.body,
      timeoutMs: o.timeoutMs ?? 30_000,
    }).then((r) => {
      records.push({ op: planned.op, at, ms: r.ms, status: r.status });
      const unknown = typeof r.status !== 'number' || r.status >= 500;
      if (planned.kind === 'order') {
        const id = r.status === 202 ? json<{ order_id?: string }>(r.body)?.order_id : undefined;
        if (id) accepted.push({ order_id: id, at: performance.now() - start });
        else if (unknown) uncertainOrders++;
      } else if (planned.kind === 'restock') {
        restocks.push({ product_id: planned.product_id!, quantity: o.fixture.restock_quantity, applied: r.status === 200 ? true : unknown ? undefined : false });
      }
    });
    const tracked = p.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const progress = () => {
    const elapsed = performance.now() - start;
    const recent = records.filter((r) => typeof r.status === 'number' && r.at > elapsed - 5000).map((r) => r.ms).sort((a, b) => a - b);
    const byClass: Record<string, number> = {};
    for (const r of records) {
      const k = typeof r.status === 'number' ? `${Math.floor(r.status / 100)}xx` : r.status;
      byClass[k] = (byClass[k] ?? 0) + 1;
    }
    o.onProgress?.({
      elapsedMs: Math.min(elapsed, o.durationMs),
      durationMs: o.durationMs,
      sent,
      done: records.length,
      inFlight: pending.size,
      byClass,
      recentP95: recent.length ? recent[Math.min(recent.length - 1, Math.ceil(recent.length * 0.95) - 1)]! : 0,
      note,
    });
  };
  const progressTimer = setInterval(progress, 500);

  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      while (schedule.length && schedule[0]!.atMs <= elapsed) {
        const f = schedule.shift()!;
        const entry: LoadPhaseResult['faults'][number] = { name: f.name, at_s: Math.round(elapsed / 100) / 10 };
        faults.push(entry);
        note = f.name;
        faultRuns.push(
          f.run().then(
            () => undefined,
            (err: Error) => void (entry.error = err.message),
          ),
        );
      }
      const owed = Math.min(total, Math.floor((elapsed * o.rate) / 1000));
      while (sent < owed) {
        fire(sent, (sent * 1000) / o.rate);
        sent++;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 5);
    };
    tick();
  });
  // the last requests and any fault still running (a fault's end, e.g. a broker start, may outlast the load)
  while (pending.size) await Promise.all([...pending]);
  await Promise.all(faultRuns);
  clearInterval(progressTimer);
  progress();
  agent.destroy();
  records.sort((a, b) => a.at - b.at);
  return { records, accepted, uncertainOrders, restocks, durationMs: o.durationMs, faults };
}

/** Creates the run's products (through the catalog API, as a merchant would) and waits until Orders prices them and Inventory holds their stock. */
export async function prepareFixture(
  target: () => Target,
  o: { scenario: Scenario; rate: number; durationMs: number; products?: number; stock?: number; runId?: string; users?: number; log?: (m: string) => void },
): Promise<Fixture> {
  const runId = o.runId ?? `L${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
  const n = o.products ?? 8;
  // by default the stock covers about 70% of the demand: some products sell out, which is what "no oversold unit" needs to mean something
  const demand = (o.rate * (o.durationMs / 1000) * ORDER_SHARE[o.scenario] * UNITS_PER_ORDER) / n;
  const stock = o.stock ?? Math.max(5, Math.round(demand * 0.7));
  const names = productNames(runId, n);
  const category = `Load ${runId}`;
  const agent = createAgent(16);
  const products = names.map((name, i) => ({ product_id: `${runId}-P${i + 1}`, name, start_stock: stock }));
  const t = target();
  const call = (method: string, path: string, body?: unknown) =>
    send(agent, {
      method,
      url: `${t.apiUrl}${path}`,
      headers: { 'x-api-key': t.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  o.log?.(`preparing ${n} products of ${stock} units (run ${runId})`);
  for (const p of products) {
    const price = 5 + (p.product_id.length % 7) + Number(p.product_id.split('P').pop()) / 4;
    const r = await call('POST', '/api/catalog', { product_id: p.product_id, name: p.name, price, category, brand: runId, stock, featured: true });
    if (r.status !== 201 && r.status !== 409) throw new Error(`creating ${p.product_id}: ${r.status} ${r.body.slice(0, 300)}`);
  }
  const deadline = Date.now() + 60_000;
  for (const p of products) {
    for (;;) {
      const price = await call('GET', `/api/orders/prices/${p.product_id}`);
      const stockNow = await call('GET', `/api/inventory/${p.product_id}`);
      if (price.status === 200 && stockNow.status === 200 && json<{ available: number }>(stockNow.body)?.available === stock) break;
      if (Date.now() > deadline) throw new Error(`${p.product_id} did not become orderable with ${stock} units in 60 s (price ${price.status}, stock ${stockNow.status} ${stockNow.body.slice(0, 200)})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  agent.destroy();
  const users = Array.from({ length: o.users ?? 16 }, (_, i) => `load-${runId.toLowerCase()}-u${i + 1}`);
  return { run_id: runId, category, products, users, restock_quantity: 5 };
}
