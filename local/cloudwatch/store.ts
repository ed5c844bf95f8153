/**
 * The metric series: one per (namespace, metric name, dimensions), each a list of samples
 * (timestamp ms, value, count), as PutMetricData and EMF give them (a value repeated `count`
 * times; EMF and StatisticValues-free puts keep every value, so percentiles are exact).
 *
 * Bounded: samples older than `retentionMs` (default 3 hours) are dropped, and a series keeps at
 * most `maxSamplesPerSeries` (default 20,000, the oldest go first); series with no sample left are
 * removed. Persisted in a capped append-only log (`<data>/samples/<n>.log`, one JSON line per put
 * of one series), replayed at start.
 */
import { CappedLog } from '../aws-shared/capped-log';

export interface Dimension {
  Name: string;
  Value: string;
}

export interface Series {
  key: string;
  namespace: string;
  name: string;
  /** sorted by name */
  dimensions: Dimension[];
  unit: string | undefined;
  /** parallel arrays from `head` on: time (ms), value, count */
  t: number[];
  v: number[];
  c: number[];
  head: number;
  /** StorageResolution 1 (high resolution) was seen */
  highResolution: boolean;
  /** sum and count of every sample ever added (monotonic: Prometheus counters and summaries) */
  total: number;
  totalCount: number;
}

export interface Sample {
  t: number;
  v: number;
  c?: number;
}

export interface MetricStoreOptions {
  dir?: string;
  maxBytes?: number;
  retentionMs?: number;
  maxSamplesPerSeries?: number;
  now?: () => number;
}

export const seriesKey = (namespace: string, name: string, dims: Dimension[]): string =>
  JSON.stringify([namespace, name, ...dims.map((d) => [d.Name, d.Value])]);

export const sortDimensions = (dims: Dimension[] | undefined): Dimension[] =>
  [...(dims ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private readonly log: CappedLog | undefined;
  private readonly retentionMs: number;
  private readonly maxPerSeries: number;
  readonly now: () => number;
  /** samples taken since start */
  received = 0;

  constructor(opts: MetricStoreOptions = {}) {
    this.retentionMs = opts.retentionMs ?? 3 * 3600_000;
    this.maxPerSeries = opts.maxSamplesPerSeries ?? 20_000;
    this.now = opts.now ?? Date.now;
    if (opts.dir) {
      this.log = new CappedLog({ dir: opts.dir, maxBytes: opts.maxBytes ?? 32 * 1024 * 1024 });
      const cutoff = this.now() - this.retentionMs;
      for (const { line } of this.log.replay()) {
        try {
          const r = JSON.parse(line) as { n: string; m: string; d: Array<[string, string]>; u?: string; h?: 1; s: Array<[number, number, number?]> };
          const samples = r.s.filter((s) => s[0] >= cutoff).map(([t, v, c]) => ({ t, v, c }));
          if (samples.length) this.add(r.n, r.m, r.d.map(([Name, Value]) => ({ Name, Value })), samples, r.u, r.h === 1, false);
        } catch {
          // a torn or foreign line: skipped
        }
      }
    }
  }

  /** Adds samples to a series (created on first use). */
  add(namespace: string, name: string, dimensions: Dimension[], samples: Sample[], unit?: string, highResolution = false, persist = true): void {
    if (!samples.length) return;
    const dims = sortDimensions(dimensions);
    const key = seriesKey(namespace, name, dims);
    let s = this.series.get(key);
    if (!s) {
      s = { key, namespace, name, dimensions: dims, unit, t: [], v: [], c: [], head: 0, highResolution, total: 0, totalCount: 0 };
      this.series.set(key, s);
    }
    if (unit && unit !== 'None') s.unit = unit;
    if (highResolution) s.highResolution = true;
    let sorted = true;
    const last = s.t.length ? s.t[s.t.length - 1]! : -Infinity;
    for (const x of samples) {
      if (x.t < last) sorted = false;
      s.t.push(x.t);
      s.v.push(x.v);
      s.c.push(x.c ?? 1);
      s.total += x.v * (x.c ?? 1);
      s.totalCount += x.c ?? 1;
    }
    this.received += samples.length;
    if (!sorted) this.resort(s);
    this.trim(s);
    if (persist && this.log) {
      this.log.append(
        JSON.stringify({ n: namespace, m: name, d: dims.map((d) => [d.Name, d.Value]), ...(unit ? { u: unit } : {}), ...(highResolution ? { h: 1 } : {}), s: samples.map((x) => (x.c && x.c !== 1 ? [x.t, x.v, x.c] : [x.t, x.v])) }),
      );
    }
  }

  get(namespace: string, name: string, dimensions: Dimension[] | undefined): Series | undefined {
    const s = this.series.get(seriesKey(namespace, name, sortDimensions(dimensions)));
    if (s) this.trim(s);
    return s && s.t.length > s.head ? s : undefined;
  }

  /** Every series with samples in the retention window. */
  all(): Series[] {
    const out: Series[] = [];
    for (const s of this.series.values()) {
      this.trim(s);
      if (s.t.length > s.head) out.push(s);
    }
    return out;
  }

  /** Samples of a series in [fromMs, toMs). */
  *samples(s: Series, fromMs: number, toMs: number): Generator<{ t: number; v: number; c: number }> {
    let lo = s.head;
    let hi = s.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.t[mid]! < fromMs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < s.t.length && s.t[i]! < toMs; i++) yield { t: s.t[i]!, v: s.v[i]!, c: s.c[i]! };
  }

  get sampleCount(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.t.length - s.head;
    return n;
  }

  flush(): void {
    this.log?.flush();
  }

  close(): void {
    this.log?.close();
  }

  private resort(s: Series): void {
    const idx: number[] = [];
    for (let i = s.head; i < s.t.length; i++) idx.push(i);
    idx.sort((a, b) => s.t[a]! - s.t[b]!);
    s.t = idx.map((i) => s.t[i]!);
    s.v = idx.map((i) => s.v[i]!);
    s.c = idx.map((i) => s.c[i]!);
    s.head = 0;
  }

  private trim(s: Series): void {
    const cutoff = this.now() - this.retentionMs;
    while (s.head < s.t.length && s.t[s.head]! < cutoff) s.head++;
    if (s.t.length - s.head > this.maxPerSeries) s.head = s.t.length - this.maxPerSeries;
    // compact once the dropped prefix is large, so arrays do not grow without end
    if (s.head > 1024 && s.head * 2 > s.t.length) {
      s.t = s.t.slice(s.head);
      s.v = s.v.slice(s.head);
      s.c = s.c.slice(s.head);
      s.head = 0;
    }
  }
}
