/**
 * The fifteen metrics of the original platform (the dashboard's widgets, lib/observability), read
 * with one ListMetrics per namespace and one GetMetricData for every series they need. CloudWatch's
 * SEARCH is not served locally, so the series a widget sums are found by ListMetrics and combined
 * here: counts summed, ratios as 100·ok/(ok+rest), percentiles and levels as the largest series.
 */
import { METRICS, METRICS_NAMESPACE } from '../../lambdas/shared/metric-names';
import { cloudwatch } from './aws';

interface Metric {
  Namespace: string;
  MetricName: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
}

interface Part {
  ns?: string;
  name: string;
  stat: string;
  /** only the series whose dimensions match */
  where?: Record<string, string>;
}

export interface Widget {
  title: string;
  unit: string;
  combine: 'sum' | 'max' | 'avg' | 'ratio';
  /** for ratio: [ok, all] */
  parts: Part[];
}

const E = METRICS;
export const WIDGETS: Widget[] = [
  { title: 'Total orders created', unit: 'orders in the hour', combine: 'sum', parts: [{ name: E.ordersCreated.name, stat: 'Sum' }] },
  { title: 'Order success rate', unit: '%', combine: 'ratio', parts: [{ name: E.ordersEnded.name, stat: 'Sum', where: { outcome: 'CONFIRMED' } }, { name: E.ordersEnded.name, stat: 'Sum' }] },
  { title: 'Active orders', unit: 'orders', combine: 'max', parts: [{ name: E.activeOrders.name, stat: 'Maximum' }] },
  { title: 'Average order value', unit: 'per order (major units)', combine: 'avg', parts: [{ name: E.orderValue.name, stat: 'Average' }] },
  { title: 'Order processing duration (p95)', unit: 'ms', combine: 'max', parts: [{ name: E.orderProcessingDuration.name, stat: 'p95' }] },
  { title: 'Saga execution duration (p95)', unit: 'ms', combine: 'max', parts: [{ name: E.sagaExecutionDuration.name, stat: 'p95' }] },
  { title: 'Inventory operations rate', unit: 'operations in the hour', combine: 'sum', parts: [{ name: E.inventoryOperations.name, stat: 'Sum' }] },
  { title: 'Payment success rate', unit: '%', combine: 'ratio', parts: [{ name: E.paymentsProcessed.name, stat: 'Sum', where: { status: 'CAPTURED' } }, { name: E.paymentsProcessed.name, stat: 'Sum' }] },
  { title: 'Circuit breaker state', unit: '0 closed · 1 open · 2 half-open', combine: 'max', parts: [{ name: E.circuitBreakerState.name, stat: 'Maximum' }] },
  { title: 'Products created/updated rate', unit: 'in the hour', combine: 'sum', parts: [{ name: E.productsCreated.name, stat: 'Sum' }, { name: E.productsUpdated.name, stat: 'Sum' }] },
  { title: 'Search query latency (p95)', unit: 'ms', combine: 'max', parts: [{ name: E.searchDuration.name, stat: 'p95' }] },
  { title: 'Cache hit/miss ratio', unit: '% hits', combine: 'ratio', parts: [{ name: E.cacheHits.name, stat: 'Sum' }, { name: E.cacheHits.name, stat: 'Sum' }, { name: E.cacheMisses.name, stat: 'Sum' }] },
  { title: 'Notifications sent by type', unit: 'in the hour', combine: 'sum', parts: [{ name: E.notificationsSent.name, stat: 'Sum' }] },
  { title: 'Kafka message consumption rate', unit: 'messages in the hour', combine: 'sum', parts: [{ name: E.kafkaMessagesConsumed.name, stat: 'Sum' }] },
  { title: 'Service health status (API 5xx)', unit: 'in the hour', combine: 'sum', parts: [{ ns: 'AWS/ApiGateway', name: '5XXError', stat: 'Sum' }] },
];

export interface WidgetData {
  widget: Widget;
  points: Array<[number, number]>;
  /** the newest value (for sums: the total over the window; the chart has one point a minute) */
  value: number | undefined;
}

const matches = (m: Metric, p: Part) => m.MetricName === p.name && Object.entries(p.where ?? {}).every(([k, v]) => m.Dimensions?.some((d) => d.Name === k && d.Value === v));

async function listAll(ns: string): Promise<Metric[]> {
  const out: Metric[] = [];
  let token: string | undefined;
  do {
    const r = await cloudwatch<{ Metrics?: Metric[]; NextToken?: string }>('ListMetrics', { Namespace: ns, NextToken: token });
    out.push(...(r.Metrics ?? []));
    token = r.NextToken;
  } while (token && out.length < 2000);
  return out;
}

/** The fifteen over the last `minutes`, one point a minute. */
export async function loadWidgets(minutes = 60): Promise<WidgetData[]> {
  const [app, apigw] = await Promise.all([listAll(METRICS_NAMESPACE), listAll('AWS/ApiGateway')]);
  const queries: Array<{ Id: string; MetricStat: unknown; ReturnData: boolean }> = [];
  const ids: string[][][] = WIDGETS.map((w) =>
    w.parts.map((p) =>
      (p.ns === 'AWS/ApiGateway' ? apigw : app)
        .filter((m) => matches(m, p))
        .map((m) => {
          const Id = `q${queries.length}`;
          queries.push({ Id, MetricStat: { Metric: m, Period: 60, Stat: p.stat }, ReturnData: true });
          return Id;
        }),
    ),
  );
  const results = new Map<string, Array<[number, number]>>();
  const end = Math.ceil(Date.now() / 60_000) * 60;
  for (let i = 0; i < queries.length; i += 500) {
    const r = await cloudwatch<{ MetricDataResults?: Array<{ Id: string; Timestamps?: number[]; Values?: number[] }> }>('GetMetricData', {
      MetricDataQueries: queries.slice(i, i + 500),
      StartTime: end - minutes * 60,
      EndTime: end,
      ScanBy: 'TimestampAscending',
    });
    for (const x of r.MetricDataResults ?? []) results.set(x.Id, (x.Timestamps ?? []).map((t, j) => [t * 1000, x.Values![j]!]));
  }
  return WIDGETS.map((widget, wi) => {
    const series = (part: number) => ids[wi]![part]!.map((id) => results.get(id) ?? []);
    const byTime = (lists: Array<Array<[number, number]>>, f: (vs: number[]) => number) => {
      const m = new Map<number, number[]>();
      for (const l of lists) for (const [t, v] of l) (m.get(t) ?? m.set(t, []).get(t)!).push(v);
      return [...m].sort((a, b) => a[0] - b[0]).map(([t, vs]) => [t, f(vs)] as [number, number]);
    };
    const sum = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
    let points: Array<[number, number]>;
    if (widget.combine === 'ratio' && ids[wi]![0]!.length === 0) {
      points = []; // no series of the "ok" kind: unknown rather than 0 %
    } else if (widget.combine === 'ratio') {
      const ok = new Map(byTime(series(0), sum));
      const all = byTime(widget.parts.slice(1).flatMap((_, k) => series(k + 1)), sum);
      points = all.filter(([, v]) => v > 0).map(([t, v]) => [t, (100 * (ok.get(t) ?? 0)) / v]);
    } else {
      const lists = widget.parts.flatMap((_, k) => series(k));
      points = byTime(lists, widget.combine === 'sum' ? sum : widget.combine === 'max' ? (vs) => Math.max(...vs) : (vs) => sum(vs) / vs.length);
    }
    const value = widget.combine === 'sum' ? (points.length ? sum(points.map((p) => p[1])) : undefined) : points[points.length - 1]?.[1];
    return { widget, points, value };
  });
}
