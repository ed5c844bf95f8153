/**
 * Issue 12, metrics: after a scripted mix of orders placed through the API (confirmed, declined,
 * out of stock, one held open), each of the original's fifteen dashboard metrics
 * (lib/observability DASHBOARD_WIDGETS, by the shared names of lambdas/shared/metric-names.ts)
 * has the value the mix implies, through GetMetricData (`@aws-sdk/client-cloudwatch` against the
 * edge) and through the Prometheus endpoint (`GET /_local/metrics`).
 *
 * The e2e cloud is shared with the other test files, which run one at a time (one Jest worker on
 * this machine): CloudWatch is read over the mix's own time range (1-second periods, so no sample
 * from before it counts), Prometheus as the difference of two readings.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { METRICS, METRICS_NAMESPACE, type MetricKey } from '../../lambdas/shared/metric-names';
import { passesFilters } from '../../local/eventbridge/pattern';
import { awsClientConfig, call as apiCall, endpoints, uniqueId, type CallOptions } from '../support/local-cloud';
import { DECLINED_CARD, user123 } from '../support/order-flow';
import { eventually, until } from '../support/poll';

const cloudwatch = new CloudWatchClient(awsClientConfig());
const lambda = new LambdaClient(awsClientConfig());

afterAll(() => {
  cloudwatch.destroy();
  lambda.destroy();
});

// ---- the API, with every request and its class counted (the "Service health status" widget) ----
const requests = { total: 0, '4xx': 0, '5xx': 0 };
async function call(path: string, options: CallOptions = {}) {
  const res = await apiCall(path, options);
  requests.total++;
  if (res.status >= 500) requests['5xx']++;
  else if (res.status >= 400) requests['4xx']++;
  return res;
}

async function orderReaches(orderId: string, statuses: string[]) {
  return eventually(
    `order ${orderId} to reach ${statuses.join(' or ')}`,
    async () => {
      const res = await call(`/api/orders/${orderId}`);
      return res.status === 200 && statuses.includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );
}

// ---- Prometheus ----
type Series = Map<string, number>;
async function prometheus(): Promise<Series> {
  const text = await (await fetch(`${endpoints().edge_url}/_local/metrics`)).text();
  const out: Series = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}
/** The sum of the series of `name` whose labels include `labels`. */
function promValue(s: Series, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const [key, v] of s) {
    const brace = key.indexOf('{');
    const n = brace < 0 ? key : key.slice(0, brace);
    if (n === name && want.every((w) => key.includes(w))) sum += v;
  }
  return sum;
}

// ---- CloudWatch ----
let from: Date;
/**
 * One statistic of an app metric over the mix's time range (1-second periods, folded with
 * `fold`), summed over every dimension set that has `dims` (as the dashboard's SEARCH does: a
 * Kafka consumer counts under its own service, say). Undefined when no datapoint.
 */
async function cw(key: MetricKey, stat: string, dims: Record<string, string> = {}, fold: 'sum' | 'max' | 'min' | 'last' = 'sum'): Promise<number | undefined> {
  const d = METRICS[key];
  const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: METRICS_NAMESPACE, MetricName: d.name, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }));
  const sets = listed.Metrics ?? [];
  if (!sets.length) return undefined;
  const out = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: from,
      EndTime: new Date(Date.now() + 60_000),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: sets.map((m, i) => ({ Id: `m${i}`, MetricStat: { Metric: m, Period: 1, Stat: stat } })),
    }),
  );
  const per = out.MetricDataResults!.map((r) => r.Values ?? []).filter((v) => v.length);
  if (!per.length) return undefined;
  const one = (values: number[]) =>
    fold === 'max' ? Math.max(...values) : fold === 'min' ? Math.min(...values) : fold === 'last' ? values[values.length - 1]! : values.reduce((a, b) => a + b, 0);
  const each = per.map(one);
  return fold === 'max' ? Math.max(...each) : fold === 'min' ? Math.min(...each) : each.reduce((a, b) => a + b, 0);
}

async function cwExpression(expression: string, metrics: Record<string, { key: MetricKey; dims: Record<string, string> }>): Promise<number[]> {
  const queries: MetricDataQuery[] = Object.entries(metrics).map(([Id, { key, dims }]) => ({
    Id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: METRICS_NAMESPACE, MetricName: METRICS[key].name, Dimensions: Object.entries({ service: METRICS[key].service, ...dims }).map(([Name, Value]) => ({ Name, Value })) },
      Period: 3600,
      Stat: 'Sum',
    },
  }));
  const out = await cloudwatch.send(new GetMetricDataCommand({ StartTime: from, EndTime: new Date(Date.now() + 60_000), MetricDataQueries: [...queries, { Id: 'e', Expression: expression }] }));
  return out.MetricDataResults!.find((r) => r.Id === 'e')!.Values!;
}

async function awsMetric(namespace: string, name: string, dims: Record<string, string>, stat = 'Sum'): Promise<number> {
  const out = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: from,
      EndTime: new Date(Date.now() + 60_000),
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: 1, Stat: stat } }],
    }),
  );
  return out.MetricDataResults![0]!.Values!.reduce((a, b) => a + b, 0);
}

// ---- the mix ----
interface Placed {
  id: string;
  latencyMs: number;
  end: { status: string; placed_at: string; updated_at: string; total_minor: number };
}

async function invokeReconciler(): Promise<number> {
  const fn = endpoints().functions.find((f) => /Reconciler/.test(f));
  if (!fn) throw new Error('no reconciler function is deployed');
  const out = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from(JSON.stringify({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })) }));
  const body = JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as { active_orders?: number };
  if (out.FunctionError || typeof body.active_orders !== 'number') throw new Error(`the reconciler failed: ${JSON.stringify(body)}`);
  return body.active_orders;
}

describe("the original's fifteen metrics after a scripted mix of orders", () => {
  const mug = uniqueId('MIX');
  const lamp = uniqueId('MIX');
  const placed: Record<'a' | 'b' | 'declined' | 'oos' | 'held', Placed> = {} as never;
  let before: Series;
  let after: Series;
  let activeHeld = 0;
  let activeAfter = 0;
  let catalogLatencyMs = 0;
  const cacheAnswers = { hit: 0, miss: 0 };

  async function place(body: Record<string, unknown>, end: string, headers: Record<string, string> = {}): Promise<Placed> {
    const started = Date.now();
    const res = await call('/api/orders', { body: { user_id: 'user123', ...body }, headers });
    const latencyMs = Date.now() - started;
    expect(res.status).toBe(202);
    const ended = await orderReaches(res.body.order_id, [end]);
    return { id: res.body.order_id, latencyMs, end: ended };
  }

  beforeAll(async () => {
    await user123();
    // quiet: the other files' orders and their events have settled (nothing moves for 2 s in a row)
    let last = '';
    let stableSince = Date.now();
    await until('the metrics to settle', async () => {
      const now = [...(await prometheus())].filter(([k]) => !k.includes('quantile') && !k.startsWith('kafka_consumergroup_lag')).map(([k, v]) => `${k}=${v}`).join('\n');
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      return Date.now() - stableSince >= 2000;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    before = await prometheus();
    from = new Date(Date.now() - 1000);

    // two products: a mug with 20 in stock, a lamp with 1
    for (const [product_id, price, stock] of [[mug, 10, 20], [lamp, 7.25, 1]] as const) {
      expect((await call('/api/catalog', { body: { product_id, name: `Mix ${product_id}`, price, category: 'Testing', stock } })).status).toBe(201);
    }
    for (const [id, stock] of [[mug, 20], [lamp, 1]] as const) {
      await eventually(`${id} orderable and in stock`, async () => {
        const [price, inv] = await Promise.all([call(`/api/orders/prices/${id}`), call(`/api/inventory/${id}`)]);
        return price.status === 200 && inv.status === 200 && inv.body.available === stock ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 250 });
    }
    // the mug read until the cache answers it (a miss fills it; after a cache failure reads skip it a few seconds), two searches
    const timedCall = async (path: string) => {
      const started = Date.now();
      const res = await call(path);
      catalogLatencyMs = Math.max(catalogLatencyMs, Date.now() - started);
      expect(res.status).toBe(200);
      return res;
    };
    await until('a cache hit of the mug', async () => {
      const cache = (await timedCall(`/api/catalog/${mug}`)).headers.get('x-cache');
      cacheAnswers[cache === 'hit' ? 'hit' : 'miss']++;
      return cache === 'hit';
    }, { timeoutMs: 30_000, intervalMs: 100 });
    for (const q of [uniqueId('nothing'), uniqueId('nothing')]) await timedCall(`/api/catalog/search/${q}`);

    // one at a time, so that at most one order is open at any moment
    placed.a = await place({ items: [{ product_id: mug, quantity: 2 }] }, 'COMPLETED');
    placed.b = await place({ items: [{ product_id: mug, quantity: 3 }] }, 'COMPLETED');
    placed.declined = await place({ items: [{ product_id: mug, quantity: 1 }], payment_method: { card_number: DECLINED_CARD } }, 'CANCELLED');
    placed.oos = await place({ items: [{ product_id: lamp, quantity: 2 }] }, 'CANCELLED');
    // one held at its payment for 12 s, counted while open by the reconciler (its active_orders)
    const heldStarted = Date.now();
    const held = await call('/api/orders', { body: { user_id: 'user123', items: [{ product_id: mug, quantity: 1 }] }, headers: { 'x-saga-fault': 'payment=delay=12000' } });
    const heldLatency = Date.now() - heldStarted;
    expect(held.status).toBe(202);
    await orderReaches(held.body.order_id, ['RESERVED']);
    activeHeld = await invokeReconciler();
    const heldEnd = await orderReaches(held.body.order_id, ['COMPLETED']);
    placed.held = { id: held.body.order_id, latencyMs: heldLatency, end: heldEnd };
    activeAfter = await invokeReconciler();

    // everything the mix set off has arrived: user123's messages, the stock levels, the consumers
    await until('the notifications of the five orders', async () => {
      const p = await prometheus();
      return ['email', 'sms', 'push'].every((type) => promValue(p, 'notifications_sent_total', { type, status: 'sent' }) - promValue(before, 'notifications_sent_total', { type, status: 'sent' }) >= 5);
    }, { timeoutMs: 60_000, intervalMs: 500 });
    await until('the metrics to settle after the mix', async () => {
      const now = [...(await prometheus())].filter(([k]) => !k.includes('quantile') && !k.startsWith('kafka_consumergroup_lag')).map(([k, v]) => `${k}=${v}`).join('\n');
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      return Date.now() - stableSince >= 3000;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    after = await prometheus();
  }, 420_000);

  const delta = (name: string, labels: Record<string, string> = {}) => promValue(after, name, labels) - promValue(before, name, labels);
  const confirmed = () => [placed.a, placed.b, placed.held];
  const cancelled = () => [placed.declined, placed.oos];
  const sagaMs = (p: Placed) => Date.parse(p.end.updated_at) - Date.parse(p.end.placed_at);

  it('1. total orders created: five placed', async () => {
    expect(await cw('ordersCreated', 'Sum', { status: 'placed' })).toBe(5);
    expect(delta('orders_created_total', { status: 'placed' })).toBe(5);
    expect(delta('orders_created_total', { status: 'failed' })).toBe(0);
  });

  it('2. order success rate: three of five completed (60%)', async () => {
    expect(await cw('ordersEnded', 'Sum', { outcome: 'COMPLETED' })).toBe(3);
    expect(await cw('ordersEnded', 'Sum', { outcome: 'CANCELLED' })).toBe(2);
    expect(await cwExpression('100 * ok / (ok + bad)', { ok: { key: 'ordersEnded', dims: { outcome: 'COMPLETED' } }, bad: { key: 'ordersEnded', dims: { outcome: 'CANCELLED' } } })).toEqual([60]);
    expect(delta('orders_ended_total', { outcome: 'COMPLETED' })).toBe(3);
    expect(delta('orders_ended_total', { outcome: 'CANCELLED' })).toBe(2);
  });

  it('3. active orders: one more while the held order was open than after it ended', async () => {
    expect(activeHeld - activeAfter).toBe(1);
    expect(await cw('activeOrders', 'Maximum', {}, 'max')).toBeGreaterThanOrEqual(activeHeld);
    expect(await cw('activeOrders', 'Minimum', {}, 'last')).toBe(activeAfter);
    expect(promValue(after, 'active_orders')).toBe(activeAfter);
  });

  it('4. average order value: (20 + 30 + 10) / 3 = 20 dollars', async () => {
    expect(confirmed().map((p) => p.end.total_minor)).toEqual([2000, 3000, 1000]);
    expect(await cw('orderValue', 'SampleCount', { currency: 'USD' })).toBe(3);
    expect(await cw('orderValue', 'Sum', { currency: 'USD' })).toBe(60);
    expect(await cwExpression('total / n', { total: { key: 'orderValue', dims: { currency: 'USD' } }, n: { key: 'ordersEnded', dims: { outcome: 'COMPLETED' } } })).toEqual([20]);
    expect(delta('order_value_sum', { currency: 'USD' })).toBe(60);
    expect(delta('order_value_count', { currency: 'USD' })).toBe(3);
  });

  it('5. order processing duration: five samples, none longer than the client waited', async () => {
    expect(await cw('orderProcessingDuration', 'SampleCount')).toBe(5);
    const longest = Math.max(...Object.values(placed).map((p) => p.latencyMs));
    const max = (await cw('orderProcessingDuration', 'Maximum', {}, 'max'))!;
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(longest);
    expect((await cw('orderProcessingDuration', 'p95', {}, 'max'))!).toBeLessThanOrEqual(max);
    expect(delta('order_processing_duration_seconds_count')).toBe(5);
    expect(delta('order_processing_duration_seconds_sum')).toBeGreaterThan(0);
    expect(delta('order_processing_duration_seconds_sum')).toBeLessThanOrEqual((5 * longest) / 1000);
  });

  it("6. saga execution duration: each order's placed-to-end time, by outcome", async () => {
    const done = confirmed().map(sagaMs).reduce((a, b) => a + b, 0);
    const off = cancelled().map(sagaMs).reduce((a, b) => a + b, 0);
    expect(await cw('sagaExecutionDuration', 'SampleCount', { outcome: 'COMPLETED' })).toBe(3);
    expect(await cw('sagaExecutionDuration', 'Sum', { outcome: 'COMPLETED' })).toBe(done);
    expect(await cw('sagaExecutionDuration', 'SampleCount', { outcome: 'CANCELLED' })).toBe(2);
    expect(await cw('sagaExecutionDuration', 'Sum', { outcome: 'CANCELLED' })).toBe(off);
    expect(delta('saga_execution_duration_seconds_count', { outcome: 'COMPLETED' })).toBe(3);
    expect(delta('saga_execution_duration_seconds_sum', { outcome: 'COMPLETED' })).toBeCloseTo(done / 1000, 6);
    expect(delta('saga_execution_duration_seconds_sum', { outcome: 'CANCELLED' })).toBeCloseTo(off / 1000, 6);
  });

  it('7. inventory operations: four reservations and one refused, two releases, three commits; units reserved and the levels left', async () => {
    const ops: Array<[string, string, number]> = [
      ['reserve', 'success', 4],
      ['reserve', 'failure', 1],
      ['release', 'success', 2],
      ['commit', 'success', 3],
    ];
    for (const [operation, status, n] of ops) {
      expect({ operation, status, cw: await cw('inventoryOperations', 'Sum', { operation, status }) }).toEqual({ operation, status, cw: n });
      expect({ operation, status, prom: delta('inventory_operations_total', { operation, status }) }).toEqual({ operation, status, prom: n });
    }
    // the mug: 2 + 3 + 1 (declined, then released) + 1 reserved
    expect(await cw('inventoryReserved', 'Sum', { product_id: mug })).toBe(7);
    expect(promValue(after, 'inventory_reserved_total', { product_id: mug })).toBe(7);
    expect(await cw('inventoryReserved', 'Sum', { product_id: lamp })).toBeUndefined();
    // left: 20 - 2 - 3 - 1 = 14 of the mug (the declined order's unit came back), the lamp's 1 untouched
    expect((await call(`/api/inventory/${mug}`)).body.available).toBe(14);
    expect(await cw('inventoryLevel', 'Minimum', { product_id: mug }, 'last')).toBe(14);
    expect(promValue(after, 'inventory_level', { product_id: mug })).toBe(14);
    expect(await cw('inventoryLevel', 'Minimum', { product_id: lamp }, 'last')).toBe(1);
    expect(promValue(after, 'inventory_level', { product_id: lamp })).toBe(1);
  });

  it('8. payment success rate: three captured, one declined (75%); the amounts captured', async () => {
    expect(await cw('paymentsProcessed', 'Sum', { status: 'CAPTURED' })).toBe(3);
    expect(await cw('paymentsProcessed', 'Sum', { status: 'DECLINED' })).toBe(1);
    expect(await cwExpression('100 * ok / (ok + bad)', { ok: { key: 'paymentsProcessed', dims: { status: 'CAPTURED' } }, bad: { key: 'paymentsProcessed', dims: { status: 'DECLINED' } } })).toEqual([75]);
    expect(await cw('paymentsFailed', 'Sum', { reason: 'card_declined' })).toBe(1);
    expect(await cw('paymentAmounts', 'Sum', { currency: 'USD' })).toBe(6000);
    expect(delta('payments_processed_total', { status: 'CAPTURED' })).toBe(3);
    expect(delta('payments_processed_total', { status: 'DECLINED' })).toBe(1);
    expect(delta('payments_failed_total', { reason: 'card_declined' })).toBe(1);
  });

  it('9. circuit breaker state: closed throughout', async () => {
    expect(await cw('circuitBreakerState', 'Maximum', {}, 'max')).toBe(0);
    expect(promValue(after, 'circuit_breaker_state')).toBe(0);
  });

  it('10. products created: two', async () => {
    expect(await cw('productsCreated', 'Sum')).toBe(2);
    expect(delta('products_created_total')).toBe(2);
    expect(await cw('productsUpdated', 'Sum')).toBeUndefined();
  });

  it('11. search latency: two searches (and the product lookups the index answered), none longer than the client waited', async () => {
    expect(await cw('searchQueries', 'Sum')).toBe(2);
    expect(delta('search_queries_total')).toBe(2);
    const p95 = (await cw('searchDuration', 'p95', {}, 'max'))!;
    expect(p95).toBeGreaterThan(0);
    expect(p95).toBeLessThanOrEqual(catalogLatencyMs);
    const timed = (await cw('searchDuration', 'SampleCount'))!;
    expect(timed).toBeGreaterThanOrEqual(2); // the searches, and each product read the cache did not answer
    expect(timed).toBeLessThanOrEqual(2 + cacheAnswers.miss);
    expect(delta('search_duration_seconds_count')).toBe(timed);
  });

  it('12. cache hit/miss: as the API answered (x-cache), plus a miss for each new search', async () => {
    expect(cacheAnswers.hit).toBe(1);
    expect(await cw('cacheHits', 'Sum')).toBe(1);
    expect(delta('cache_hits_total')).toBe(1);
    expect(await cw('cacheMisses', 'Sum')).toBe(cacheAnswers.miss + 2);
    expect(delta('cache_misses_total')).toBe(cacheAnswers.miss + 2);
  });

  it("13. notifications by type: user123's five orders on each channel", async () => {
    for (const type of ['email', 'sms', 'push']) {
      expect({ type, cw: await cw('notificationsSent', 'Sum', { type, status: 'sent' }) }).toEqual({ type, cw: 5 });
      expect({ type, prom: delta('notifications_sent_total', { type, status: 'sent' }) }).toEqual({ type, prom: 5 });
      expect({ type, failed: delta('notifications_sent_total', { type, status: 'failed' }) }).toEqual({ type, failed: 0 });
      expect({ type, timed: delta('notification_processing_duration_seconds_count', { type }) }).toEqual({ type, timed: 5 });
    }
  });

  it('14. Kafka messages consumed: each order event by each consumer whose filter criteria admit it', async () => {
    // order-events: placed for each of the five orders, then confirmed (3) or cancelled (2); a
    // mapping's filter criteria keep from its function the types it does not act on
    const types = [...Array(5).fill('order.placed'), ...Array(3).fill('order.confirmed'), ...Array(2).fill('order.cancelled')];
    const admitted: Record<string, number> = {};
    let marker: string | undefined;
    do {
      const out = await lambda.send(new ListEventSourceMappingsCommand({ Marker: marker }));
      for (const m of out.EventSourceMappings ?? []) {
        if (!m.Topics?.includes('order-events')) continue;
        const filters = (m.FilterCriteria?.Filters ?? []).map((f) => f.Pattern!);
        admitted[m.FunctionArn!.split(':').pop()!] = types.filter((type) => passesFilters(filters, { value: { type } })).length;
      }
      marker = out.NextMarker;
    } while (marker);
    // Notifications takes every order event, the catalog's signals the confirmations only
    expect(Object.values(admitted).sort((x, y) => x - y)).toEqual([3, 10]);
    const consumed = Object.values(admitted).reduce((x, y) => x + y, 0);
    expect(delta('kafka_messages_consumed_total', { topic: 'order-events' })).toBe(consumed);
    expect(await cw('kafkaMessagesConsumed', 'Sum', { topic: 'order-events' })).toBe(consumed);
  });

  it('15. service health: every API request counted, none failed', async () => {
    const api = { ApiName: 'ecommerce-api', Stage: 'v1' };
    expect(await awsMetric('AWS/ApiGateway', '5XXError', api)).toBe(0);
    expect(await awsMetric('AWS/ApiGateway', 'Count', api)).toBe(requests.total);
    expect(await awsMetric('AWS/ApiGateway', '4XXError', api)).toBe(requests['4xx']);
    expect(requests['5xx']).toBe(0);
  });

  it("16. every metric the mix emitted is stored in the unit the platform's metric list names", async () => {
    const seen: Array<[string, string[]]> = [];
    for (const d of Object.values(METRICS)) {
      const listed = (await cloudwatch.send(new ListMetricsCommand({ Namespace: METRICS_NAMESPACE, MetricName: d.name }))).Metrics ?? [];
      const units = new Set<string>();
      for (const m of listed) {
        const out = await cloudwatch.send(
          new GetMetricStatisticsCommand({ Namespace: METRICS_NAMESPACE, MetricName: d.name, Dimensions: m.Dimensions, StartTime: from, EndTime: new Date(Date.now() + 60_000), Period: 3600, Statistics: ['SampleCount'] }),
        );
        for (const p of out.Datapoints ?? []) units.add(p.Unit ?? 'None');
      }
      if (units.size) seen.push([d.name, [...units]]);
    }
    // the mix emits the notifications' durations among others (it once went out in seconds, the list says milliseconds)
    expect(seen.map(([name]) => name)).toEqual(expect.arrayContaining([METRICS.notificationProcessingDuration.name, METRICS.orderProcessingDuration.name]));
    expect(seen).toEqual(seen.map(([name]) => [name, [Object.values(METRICS).find((d) => d.name === name)!.unit]]));
  });
});
