// The load tools' pure parts: figures, options, the report page, the scenarios' requests.
import { parseArgs, parseDuration } from '../../../tools/load/args';
import { renderHtml, type LoadReport } from '../../../tools/load/report';
import { nextRequest, seeded, type Fixture } from '../../../tools/load/scenarios';
import { percentiles, summarize, timeline, type RequestRecord } from '../../../tools/load/stats';
import { progressLine } from '../../../tools/load/progress';

const fixture: Fixture = {
  run_id: 'LTEST',
  category: 'Load LTEST',
  products: [1, 2, 3].map((i) => ({ product_id: `LTEST-P${i}`, name: `Load widget LTEST ${i}`, start_stock: 10 })),
  users: ['u1', 'u2'],
  restock_quantity: 5,
};

describe('figures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    expect(percentiles([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7, mean: 7 });
    expect(percentiles([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
  });

  it('counts statuses and leaves transport failures out of the latencies', () => {
    const records: RequestRecord[] = [
      { op: 'a', at: 10, ms: 10, status: 202 },
      { op: 'a', at: 600, ms: 30, status: 202 },
      { op: 'b', at: 1200, ms: 20, status: 500 },
      { op: 'b', at: 1300, ms: 30_000, status: 'timeout' },
      { op: 'b', at: 1400, ms: 0, status: 'skipped' },
    ];
    const s = summarize(records, 2000);
    expect(s.sent).toBe(4);
    expect(s.answered).toBe(3);
    expect(s.by_status).toEqual({ '202': 2, '500': 1, skipped: 1, timeout: 1 });
    expect(s.by_class).toEqual({ '2xx': 2, '5xx': 1, skipped: 1, timeout: 1 });
    expect(s.latency_ms.max).toBe(30);
    expect(s.by_op.b!.by_status).toEqual({ '500': 1, skipped: 1, timeout: 1 });
    expect(s.rate_sent).toBe(2);
    const t = timeline(records, 2000);
    expect(t.map((p) => [p.t, p.count, p.by_class])).toEqual([
      [0, 2, { '2xx': 2 }],
      [1, 1, { '5xx': 1, skipped: 1, timeout: 1 }],
    ]);
  });
});

describe('options', () => {
  it('reads durations and flags', () => {
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(() => parseDuration('soon')).toThrow('not a duration');
    const a = parseArgs(['orders', '--rate', '5', '--duration=10s', '--start', '--out', 'x'], ['start']);
    expect(a.positional).toEqual(['orders']);
    expect([...a.flags]).toEqual([
      ['rate', '5'],
      ['duration', '10s'],
      ['start', true],
      ['out', 'x'],
    ]);
  });
});

describe('scenarios', () => {
  it('draws the same requests from the same seed, within the run’s products and users', () => {
    const a = Array.from({ length: 50 }, (_, i) => nextRequest('mixed', seeded(3), fixture, i));
    const rngA = seeded(11);
    const rngB = seeded(11);
    const one = Array.from({ length: 200 }, (_, i) => nextRequest('mixed', rngA, fixture, i));
    const two = Array.from({ length: 200 }, (_, i) => nextRequest('mixed', rngB, fixture, i));
    expect(one).toEqual(two);
    expect(a).toHaveLength(50);
    expect(new Set(one.map((r) => r.op))).toEqual(
      new Set([
        'GET /api/catalog/{id}',
        'GET /api/catalog',
        'GET /api/catalog/featured/list',
        'GET /api/catalog/meta/categories',
        'GET /api/catalog/search/{query}',
        'POST /api/orders',
        'GET /api/inventory/{id}',
        'POST /api/inventory/{id}/restock',
      ]),
    );
    for (const r of one.filter((x) => x.kind === 'order')) {
      const body = JSON.parse(String(r.request.body)) as { user_id: string; items: Array<{ product_id: string; quantity: number }> };
      expect(fixture.users).toContain(body.user_id);
      expect(new Set(body.items.map((l) => l.product_id)).size).toBe(body.items.length);
      for (const l of body.items) {
        expect(fixture.products.map((p) => p.product_id)).toContain(l.product_id);
        expect(l.quantity).toBeGreaterThanOrEqual(1);
        expect(l.quantity).toBeLessThanOrEqual(3);
      }
      expect(r.request.headers?.['idempotency-key']).toMatch(/^LTEST-\d+$/);
    }
    for (const r of one.filter((x) => x.kind === 'restock')) expect(JSON.parse(String(r.request.body))).toEqual({ quantity: 5, reason: 'load LTEST' });
  });

  it('orders only in the orders scenario, reads only in the read scenarios', () => {
    const rng = seeded(5);
    expect(new Set(Array.from({ length: 100 }, (_, i) => nextRequest('orders', rng, fixture, i).kind))).toEqual(new Set(['order']));
    expect(new Set(Array.from({ length: 100 }, (_, i) => nextRequest('search', rng, fixture, i).op))).toEqual(new Set(['GET /api/catalog/search/{query}']));
    expect(new Set(Array.from({ length: 100 }, (_, i) => nextRequest('catalog-reads', rng, fixture, i).kind))).toEqual(new Set(['read']));
  });
});

describe('the report page', () => {
  const report: LoadReport = {
    kind: 'chaos',
    scenario: 'orders',
    fault: 'kafka-stopped',
    started_at: '2026-12-01T10:00:00.000Z',
    finished_at: '2026-12-01T10:01:00.000Z',
    options: { rate: 5, duration_s: 2, products: 3, start_stock: 10, settle_s: 60 },
    run_id: 'LTEST',
    target: { api_url: 'http://127.0.0.1:1' },
    requests: summarize([{ op: 'POST /api/orders', at: 0, ms: 12, status: 202 }], 2000),
    orders_per_s: 0.5,
    timeline: timeline([{ op: 'POST /api/orders', at: 0, ms: 12, status: 202 }], 2000),
    faults: [{ name: 'Kafka <stopped>', at_s: 1 }],
    invariants: {
      ok: false,
      checks: [
        { name: 'no_oversold_unit', ok: true, detail: 'fine', violations: [] },
        { name: 'orders_at_an_end', ok: false, detail: '1 open', violations: [{ order_id: 'ord_1', status: 'PLACED' }] },
      ],
      orders: { accepted: 1, found_unacknowledged: 0, completed: 0, cancelled: 0, open: 1, lost: 0, cancel_reasons: {} },
      stock: [],
      payments: {},
    },
  };

  it('is one self-contained page: inline SVG charts, nothing fetched, names escaped', () => {
    const html = renderHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('aria-label="latency over time"');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!127\.0\.0\.1)/);
    expect(html).toContain('Kafka &#60;stopped&#62;');
    expect(html).toContain('Invariants VIOLATED');
    expect(html).toContain('✘ orders_at_an_end');
    expect(html).toContain('ord_1');
  });

  it('has a progress line with the figures so far', () => {
    expect(
      progressLine({ elapsedMs: 12_000, durationMs: 60_000, sent: 120, done: 100, inFlight: 20, byClass: { '2xx': 90, '5xx': 4, timeout: 6 }, recentP95: 180.4, note: 'Redis restarted' }),
    ).toBe('[  12s/60s] sent 120 done 100 in flight 20 | 2xx 90 4xx 0 5xx 4 errors 6 | p95 (5 s) 180 ms | Redis restarted');
  });
});
