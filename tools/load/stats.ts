/** Pure figures of a run: percentiles, counts by status, and the per-second timeline. */

export interface RequestRecord {
  /** what was asked (e.g. "POST /api/orders") */
  op: string;
  /** ms from the run's start to the request's send */
  at: number;
  /** ms to the answer (or to the failure) */
  ms: number;
  /** HTTP status, or the transport failure, or "skipped" (the client's in-flight cap) */
  status: number | string;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of answered requests' latencies, ms rounded to 0.1. */
export function percentiles(values: number[]): Percentiles {
  if (!values.length) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  const sum = values.reduce((a, b) => a + b, 0);
  return { count: values.length, p50: round(rank(50)), p95: round(rank(95)), p99: round(rank(99)), max: round(sorted[sorted.length - 1]!), mean: round(sum / values.length) };
}

export const statusClass = (s: number | string): string => (typeof s === 'number' ? `${Math.floor(s / 100)}xx` : s);

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export interface TimelinePoint extends Percentiles {
  /** second of the run */
  t: number;
  by_class: Record<string, number>;
}

/** One point a second (by send time): latency percentiles of the answered requests and counts by status class. */
export function timeline(records: RequestRecord[], durationMs: number): TimelinePoint[] {
  const seconds = Math.max(1, Math.ceil(durationMs / 1000));
  const buckets: RequestRecord[][] = Array.from({ length: seconds }, () => []);
  for (const r of records) buckets[Math.min(seconds - 1, Math.floor(r.at / 1000))]!.push(r);
  return buckets.map((b, t) => ({ t, ...percentiles(b.filter(answered).map((r) => r.ms)), by_class: countBy(b, (r) => statusClass(r.status)) }));
}

export const answered = (r: RequestRecord) => typeof r.status === 'number';

export interface RequestSummary {
  sent: number;
  answered: number;
  by_status: Record<string, number>;
  by_class: Record<string, number>;
  latency_ms: Percentiles;
  by_op: Record<string, Percentiles & { by_status: Record<string, number> }>;
  /** requests sent per second over the load phase */
  rate_sent: number;
}

export function summarize(records: RequestRecord[], durationMs: number): RequestSummary {
  const ops = [...new Set(records.map((r) => r.op))].sort();
  return {
    sent: records.filter((r) => r.status !== 'skipped').length,
    answered: records.filter(answered).length,
    by_status: countBy(records, (r) => String(r.status)),
    by_class: countBy(records, (r) => statusClass(r.status)),
    latency_ms: percentiles(records.filter(answered).map((r) => r.ms)),
    by_op: Object.fromEntries(
      ops.map((op) => {
        const mine = records.filter((r) => r.op === op);
        return [op, { ...percentiles(mine.filter(answered).map((r) => r.ms)), by_status: countBy(mine, (r) => String(r.status)) }];
      }),
    ),
    rate_sent: Math.round((records.filter((r) => r.status !== 'skipped').length / Math.max(1, durationMs / 1000)) * 10) / 10,
  };
}
