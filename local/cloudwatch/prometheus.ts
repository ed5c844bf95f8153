/**
 * The metric series in Prometheus's text exposition format (version 0.0.4), named by Prometheus's
 * conventions: `<namespace>_<metric>` in snake case, in base units with the unit as suffix
 * (Milliseconds and Microseconds become `_seconds`, Kilobytes `_bytes`…), `_total` for counters;
 * dimensions become labels (snake case).
 *
 * Kind of each metric: a `Count` metric is a counter (the sum of every value since the local cloud
 * started), a time or size is a summary (quantiles 0.5, 0.9, 0.95, 0.99 over the last five
 * minutes, with `_sum` and `_count` since start), anything else a gauge (its last value). The app
 * can name gauges and counters explicitly (`kinds`, by metric name): "active orders" is counted
 * but is a level, not a total.
 *
 * Kafka consumer lag is `kafka_consumergroup_lag{consumergroup,topic,partition}`, as the Kafka
 * exporter names it.
 */
import { statOf } from './statistics';
import type { MetricStore, Series } from './store';

export type PrometheusKind = 'counter' | 'gauge' | 'summary';

const UNIT: Record<string, { suffix: string; factor: number }> = {
  Seconds: { suffix: 'seconds', factor: 1 },
  Milliseconds: { suffix: 'seconds', factor: 1e-3 },
  Microseconds: { suffix: 'seconds', factor: 1e-6 },
  Bytes: { suffix: 'bytes', factor: 1 },
  Kilobytes: { suffix: 'bytes', factor: 1024 },
  Megabytes: { suffix: 'bytes', factor: 1024 ** 2 },
  Gigabytes: { suffix: 'bytes', factor: 1024 ** 3 },
  Percent: { suffix: 'percent', factor: 1 },
  'Bytes/Second': { suffix: 'bytes_per_second', factor: 1 },
  'Count/Second': { suffix: 'per_second', factor: 1 },
};

export const snake = (s: string): string =>
  s
    .replace(/(\d+)([A-Z]+)(?=[A-Z][a-z])/g, (_m, d: string, u: string) => d + u.toLowerCase()) // 5XXError -> 5xxError
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();

/** Levels AWS reports with the Count unit. */
const AWS_GAUGES = new Set(['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'SumOffsetLag', 'MaxOffsetLag', 'OffsetLag']);

export function defaultKind(unit: string | undefined, name = ''): PrometheusKind {
  if (AWS_GAUGES.has(name)) return 'gauge';
  if (unit === 'Count') return 'counter';
  if (unit && UNIT[unit] && unit !== 'Percent' && !unit.endsWith('/Second')) return 'summary';
  return 'gauge';
}

/** The Prometheus name of a series (without `_total`, `_sum`… suffixes) and the factor to base units. */
export function prometheusName(namespace: string, name: string, unit: string | undefined, prefix = snake(namespace)): { name: string; factor: number } {
  const u = unit ? UNIT[unit] : undefined;
  let base = prefix ? `${prefix}_${snake(name)}` : snake(name);
  if (!/^[a-z_]/.test(base)) base = `_${base}`;
  if (u && !base.endsWith(`_${u.suffix}`)) {
    // a name that already says its unit (…_ms, …_duration_ms) keeps the word, in base units
    base = base.replace(/_(ms|milliseconds|us|microseconds|secs|seconds)$/, '');
    base = `${base}_${u.suffix}`;
  }
  return { name: base, factor: u?.factor ?? 1 };
}

const QUANTILES = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
] as const;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (pairs: Array<[string, string]>) => (pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}` : '');
const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(12))) : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');

export interface LagRow {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export function renderPrometheus(store: MetricStore, opts: { kinds?: Record<string, PrometheusKind>; prefixes?: Record<string, string>; lag?: LagRow[]; windowMs?: number } = {}): string {
  const now = store.now();
  const window = opts.windowMs ?? 5 * 60_000;
  const families = new Map<string, { kind: PrometheusKind; help: string; lines: string[] }>();
  const family = (name: string, kind: PrometheusKind, help: string) => {
    let f = families.get(name);
    if (!f) {
      f = { kind, help, lines: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const s of store.all()) {
    if (s.namespace === 'AWS/Kafka' && opts.lag) continue; // served below as kafka_consumergroup_lag
    const kind = opts.kinds?.[s.name] ?? defaultKind(s.unit, s.name);
    const { name, factor } = prometheusName(s.namespace, s.name, s.unit, opts.prefixes?.[s.namespace]);
    const ls: Array<[string, string]> = s.dimensions.map((d) => [snake(d.Name) || 'dimension', d.Value]);
    const help = `${s.namespace} ${s.name}${s.unit ? ` (${s.unit})` : ''}`;
    if (kind === 'counter') {
      const n = name.endsWith('_total') ? name : `${name}_total`;
      family(n, 'counter', help).lines.push(`${n}${labels(ls)} ${num(s.total * factor)}`);
    } else if (kind === 'gauge') {
      family(name, 'gauge', help).lines.push(`${name}${labels(ls)} ${num(s.v[s.v.length - 1]! * factor)}`);
    } else {
      const f = family(name, 'summary', help);
      const bucket = recent(store, s, now - window, now + 1);
      if (bucket.n) for (const [q, stat] of QUANTILES) f.lines.push(`${name}${labels([...ls, ['quantile', q]])} ${num(statOf(bucket, stat) * factor)}`);
      f.lines.push(`${name}_sum${labels(ls)} ${num(s.total * factor)}`);
      f.lines.push(`${name}_count${labels(ls)} ${num(s.totalCount)}`);
    }
  }
  if (opts.lag?.length) {
    const f = family('kafka_consumergroup_lag', 'gauge', 'Kafka consumer group lag per partition (log end offset - committed offset)');
    for (const r of opts.lag) f.lines.push(`kafka_consumergroup_lag${labels([['consumergroup', r.group], ['topic', r.topic], ['partition', String(r.partition)]])} ${r.lag}`);
  }
  const out: string[] = [];
  for (const [name, f] of [...families].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${f.kind}`, ...f.lines);
  }
  return out.join('\n') + '\n';
}

function recent(store: MetricStore, s: Series, from: number, to: number) {
  const b = { values: [] as number[], counts: [] as number[], n: 0, sum: 0, min: Infinity, max: -Infinity };
  for (const x of store.samples(s, from, to)) {
    b.values.push(x.v);
    b.counts.push(x.c);
    b.n += x.c;
    b.sum += x.v * x.c;
    b.min = Math.min(b.min, x.v);
    b.max = Math.max(b.max, x.v);
  }
  return b;
}
