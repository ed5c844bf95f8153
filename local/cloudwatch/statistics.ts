/**
 * Statistics of a series over periods, as CloudWatch computes them: SampleCount, Sum, Average,
 * Minimum, Maximum, and percentiles `pNN` / `pNN.NN` (nearest rank over every value, each counted
 * as many times as it was put), plus trimmed mean `tmNN` and IQM. Periods are aligned to multiples
 * of the period since the epoch; only periods with samples have a datapoint.
 */
import type { MetricStore, Series } from './store';

export type Stat = string;

const SIMPLE = new Set(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum']);
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/i;
const TRIMMED = /^tm(\d{1,2}(?:\.\d+)?)$/i;

export function isValidStat(stat: string): boolean {
  return SIMPLE.has(stat) || PERCENTILE.test(stat) || TRIMMED.test(stat) || stat === 'IQM';
}

interface Bucket {
  values: number[];
  counts: number[];
  n: number;
  sum: number;
  min: number;
  max: number;
}

export function statOf(b: Bucket, stat: Stat): number {
  switch (stat) {
    case 'SampleCount':
      return b.n;
    case 'Sum':
      return b.sum;
    case 'Average':
      return b.n ? b.sum / b.n : 0;
    case 'Minimum':
      return b.min;
    case 'Maximum':
      return b.max;
  }
  const order = b.values.map((_, i) => i).sort((x, y) => b.values[x]! - b.values[y]!);
  const p = PERCENTILE.exec(stat);
  if (p) {
    const rank = Math.max(1, Math.ceil((Number(p[1]) / 100) * b.n));
    let seen = 0;
    for (const i of order) {
      seen += b.counts[i]!;
      if (seen >= rank) return b.values[i]!;
    }
    return b.max;
  }
  const tm = TRIMMED.exec(stat);
  const keep = tm ? Number(tm[1]) / 100 : 0.75; // IQM = mean of values between p25 and p75
  const lowRank = tm ? 0 : b.n * 0.25;
  const highRank = tm ? b.n * keep : b.n * 0.75;
  let seen = 0;
  let sum = 0;
  let n = 0;
  for (const i of order) {
    for (let k = 0; k < b.counts[i]!; k++) {
      seen++;
      if (seen > lowRank && seen <= highRank) {
        sum += b.values[i]!;
        n++;
      }
    }
  }
  return n ? sum / n : 0;
}

export interface Datapoint {
  /** start of the period, ms */
  t: number;
  bucket: Bucket;
}

/** One bucket per period (with samples) in [fromMs, toMs). */
export function periods(store: MetricStore, s: Series, fromMs: number, toMs: number, periodSeconds: number): Datapoint[] {
  const p = periodSeconds * 1000;
  const out: Datapoint[] = [];
  let cur: Datapoint | undefined;
  for (const x of store.samples(s, fromMs, toMs)) {
    const t = Math.floor(x.t / p) * p;
    if (!cur || cur.t !== t) {
      cur = { t, bucket: { values: [], counts: [], n: 0, sum: 0, min: Infinity, max: -Infinity } };
      out.push(cur);
    }
    const b = cur.bucket;
    b.values.push(x.v);
    b.counts.push(x.c);
    b.n += x.c;
    b.sum += x.v * x.c;
    if (x.v < b.min) b.min = x.v;
    if (x.v > b.max) b.max = x.v;
  }
  return out;
}

/** Merges the buckets of several series (a metric queried without all its dimensions is not this: CloudWatch matches exactly). */
export function seriesStat(store: MetricStore, s: Series, fromMs: number, toMs: number, periodSeconds: number, stat: Stat): Array<{ t: number; v: number }> {
  return periods(store, s, fromMs, toMs, periodSeconds).map((d) => ({ t: d.t, v: statOf(d.bucket, stat) }));
}
