/**
 * The metric operations: PutMetricData, ListMetrics, GetMetricStatistics, GetMetricData (with
 * metric math). Inputs arrive decoded by ./protocol.ts (timestamps as epoch seconds); outputs
 * carry timestamps as Date, which the protocol encodes.
 */
import { invalidCombination, invalidNextToken, invalidParameter, missingParameter } from './errors';
import { evaluate, MathError, parseExpression, referencedIds, usesMetrics, type TimeSeries } from './math';
import { isValidStat, periods, statOf } from './statistics';
import { sortDimensions, type Dimension, type MetricStore, type Sample } from './store';

type In = Record<string, unknown>;

const VALID_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second',
  'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

function str(input: In, name: string, required = true): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw missingParameter(name);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidParameter(`The parameter ${name} must be a string.`);
  return v;
}

function time(input: In, name: string): number {
  const v = input[name];
  if (v === undefined || v === null) throw missingParameter(name);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidParameter(`The parameter ${name} must be a timestamp.`);
  return v * 1000;
}

function dimensions(v: unknown): Dimension[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidParameter('Dimensions must be a list.');
  if (v.length > 30) throw invalidParameter('The collection Dimensions must not have a size greater than 30.');
  return v.map((d: { Name?: unknown; Value?: unknown }) => {
    if (typeof d?.Name !== 'string' || typeof d?.Value !== 'string') throw invalidParameter('Each dimension needs a Name and a Value.');
    return { Name: d.Name, Value: d.Value };
  });
}

export function checkPeriod(period: unknown, name = 'Period'): number {
  if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0) throw invalidParameter(`The parameter ${name} must be a positive integer.`);
  if (period < 60 ? ![1, 5, 10, 30].includes(period) : period % 60 !== 0) {
    throw invalidParameter(`The parameter ${name} must be 1, 5, 10, 30, or a multiple of 60.`);
  }
  return period;
}

export function putMetricData(store: MetricStore, input: In): Record<string, never> {
  const ns = str(input, 'Namespace')!;
  if (ns.startsWith('AWS/')) throw invalidParameter('The value AWS/ for parameter Namespace is invalid.');
  const data = input.MetricData;
  if (!Array.isArray(data) || !data.length) throw missingParameter('MetricData');
  if (data.length > 1000) throw invalidParameter('The collection MetricData must not have a size greater than 1000.');
  const now = store.now();
  for (const raw of data as In[]) {
    const name = str(raw, 'MetricName')!;
    const unit = str(raw, 'Unit', false);
    if (unit && !VALID_UNITS.has(unit)) throw invalidParameter(`The value ${unit} for parameter MetricData.member.Unit is invalid.`);
    const t = typeof raw.Timestamp === 'number' ? raw.Timestamp * 1000 : now;
    const res = raw.StorageResolution;
    if (res !== undefined && res !== 1 && res !== 60) throw invalidParameter('The value for parameter StorageResolution must be 1 or 60.');
    const samples: Sample[] = [];
    const sv = raw.StatisticValues as { SampleCount: number; Sum: number; Minimum: number; Maximum: number } | undefined;
    if (raw.Value !== undefined && (sv || raw.Values !== undefined)) throw invalidCombination('The parameters MetricData.member.Value, MetricData.member.Values and MetricData.member.StatisticValues are mutually exclusive.');
    if (typeof raw.Value === 'number') samples.push({ t, v: raw.Value });
    else if (Array.isArray(raw.Values)) {
      const counts = Array.isArray(raw.Counts) ? (raw.Counts as number[]) : [];
      if (counts.length && counts.length !== raw.Values.length) throw invalidParameter('The parameters MetricData.member.Values and MetricData.member.Counts must be of the same size.');
      (raw.Values as number[]).forEach((v, i) => samples.push({ t, v, c: counts[i] ?? 1 }));
    } else if (sv) {
      // a statistic set keeps its sum, count, minimum and maximum (percentiles of it are approximate, as in AWS)
      if (sv.SampleCount <= 0) throw invalidParameter('StatisticValues.SampleCount must be positive.');
      if (sv.SampleCount === 1) samples.push({ t, v: sv.Sum });
      else {
        samples.push({ t, v: sv.Minimum }, { t, v: sv.Maximum });
        if (sv.SampleCount > 2) samples.push({ t, v: (sv.Sum - sv.Minimum - sv.Maximum) / (sv.SampleCount - 2), c: sv.SampleCount - 2 });
      }
    } else throw missingParameter('MetricData.member.Value');
    for (const s of samples) if (!Number.isFinite(s.v)) throw invalidParameter('The value of a metric must be a finite number.');
    store.add(ns, name, dimensions(raw.Dimensions), samples, unit, res === 1);
  }
  return {};
}

const LIST_PAGE = 500;

export function listMetrics(store: MetricStore, input: In): Record<string, unknown> {
  const ns = str(input, 'Namespace', false);
  const name = str(input, 'MetricName', false);
  const filters = (input.Dimensions as Array<{ Name: string; Value?: string }> | undefined) ?? [];
  const recent = input.RecentlyActive === 'PT3H' ? store.now() - 3 * 3600_000 : -Infinity;
  const all = store
    .all()
    .filter((s) => (!ns || s.namespace === ns) && (!name || s.name === name))
    .filter((s) => filters.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))))
    .filter((s) => s.t[s.t.length - 1]! >= recent)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const from = pageStart(input.NextToken);
  const page = all.slice(from, from + LIST_PAGE);
  return {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.name, Dimensions: s.dimensions })),
    ...(from + LIST_PAGE < all.length ? { NextToken: Buffer.from(String(from + LIST_PAGE)).toString('base64') } : {}),
  };
}

function pageStart(token: unknown): number {
  if (token === undefined || token === null || token === '') return 0;
  const n = Number(Buffer.from(String(token), 'base64').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw invalidNextToken();
  return n;
}

export function getMetricStatistics(store: MetricStore, input: In): Record<string, unknown> {
  const ns = str(input, 'Namespace')!;
  const name = str(input, 'MetricName')!;
  const from = time(input, 'StartTime');
  const to = time(input, 'EndTime');
  const period = checkPeriod(input.Period);
  const stats = (input.Statistics as string[] | undefined) ?? [];
  const ext = (input.ExtendedStatistics as string[] | undefined) ?? [];
  if (!stats.length && !ext.length) throw missingParameter('Statistics or ExtendedStatistics');
  for (const s of stats) if (!['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'].includes(s)) throw invalidParameter(`The value ${s} for parameter Statistics is invalid.`);
  for (const s of ext) if (!isValidStat(s)) throw invalidParameter(`The value ${s} for parameter ExtendedStatistics is invalid.`);
  if ((to - from) / 1000 / period > 1440) throw invalidParameter('You have requested up to 1,440 datapoints, which exceeds the limit of 1,440.');
  const series = store.get(ns, name, dimensions(input.Dimensions));
  const unit = str(input, 'Unit', false);
  const datapoints = series && (!unit || series.unit === unit || !series.unit)
    ? periods(store, series, from, to, period).map((d) => {
        const dp: Record<string, unknown> = { Timestamp: new Date(d.t), Unit: series.unit ?? 'None' };
        for (const s of stats) dp[s] = statOf(d.bucket, s);
        if (ext.length) dp.ExtendedStatistics = Object.fromEntries(ext.map((s) => [s, statOf(d.bucket, s)]));
        return dp;
      })
    : [];
  return { Label: name, Datapoints: datapoints };
}

interface Query {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  Period?: number;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] }; Period: number; Stat: string; Unit?: string };
}

export interface QueryResult {
  Id: string;
  Label: string;
  /** ascending by time */
  points: Array<{ t: number; v: number }>;
  period: number;
  returnData: boolean;
  messages: Array<{ Code: string; Value: string }>;
}

/** Runs MetricDataQueries over [from, to) (ms); shared by GetMetricData and alarm evaluation. */
export function runQueries(store: MetricStore, queries: Query[], from: number, to: number): QueryResult[] {
  if (!Array.isArray(queries) || !queries.length) throw missingParameter('MetricDataQueries');
  if (queries.length > 500) throw invalidParameter('The collection MetricDataQueries must not have a size greater than 500.');
  const byId = new Map<string, Query>();
  for (const q of queries) {
    if (typeof q.Id !== 'string' || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) throw invalidParameter(`The value ${q.Id} for parameter MetricDataQueries.member.Id is invalid: it must start with a lowercase letter.`);
    if (byId.has(q.Id)) throw invalidParameter(`The value ${q.Id} for parameter MetricDataQueries.member.Id is duplicated.`);
    if (!!q.Expression === !!q.MetricStat) throw invalidParameter(`The query ${q.Id} must have exactly one of Expression and MetricStat.`);
    byId.set(q.Id, q);
  }
  const results = new Map<string, QueryResult>();
  const metricIds = queries.filter((q) => q.MetricStat).map((q) => q.Id);
  const parsed = new Map<string, ReturnType<typeof parseExpression>>();
  for (const q of queries) {
    if (!q.Expression) continue;
    try {
      parsed.set(q.Id, parseExpression(q.Expression));
    } catch (err) {
      throw invalidParameter(`Error in expression ${q.Id}: ${(err as Error).message}`);
    }
  }
  const resolving = new Set<string>();
  const resolve = (id: string): QueryResult => {
    const done = results.get(id);
    if (done) return done;
    const q = byId.get(id);
    if (!q) throw invalidParameter(`Error in expression: Unrecognized metric id ${id}`);
    if (resolving.has(id)) throw invalidParameter(`Error in expression ${id}: circular reference`);
    resolving.add(id);
    let r: QueryResult;
    if (q.MetricStat) {
      const ms = q.MetricStat;
      const period = checkPeriod(ms.Period, `MetricDataQueries.member.MetricStat.Period`);
      if (!isValidStat(ms.Stat)) throw invalidParameter(`The value ${ms.Stat} for parameter MetricDataQueries.member.MetricStat.Stat is invalid.`);
      const s = store.get(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions);
      const points = s && (!ms.Unit || !s.unit || s.unit === ms.Unit) ? periods(store, s, from, to, period).map((d) => ({ t: d.t, v: statOf(d.bucket, ms.Stat) })) : [];
      r = { Id: id, Label: q.Label ?? ms.Metric.MetricName, points, period, returnData: q.ReturnData !== false, messages: [] };
    } else {
      const node = parsed.get(id)!;
      for (const ref of referencedIds(node)) if (byId.has(ref)) resolve(ref);
      if (usesMetrics(node)) for (const m of metricIds) resolve(m);
      const fallback = q.Period ?? results.get(metricIds[0] ?? '')?.period ?? 60;
      try {
        const v = evaluate(node, {
          series: (ref) => {
            const x = results.get(ref);
            return x ? { s: new Map(x.points.map((p) => [p.t, p.v])) as TimeSeries, period: x.period } : undefined;
          },
          metricIds: () => metricIds,
          timestamps: (period) => {
            const p = period * 1000;
            const out: number[] = [];
            for (let t = Math.ceil(from / p) * p; t < to; t += p) out.push(t);
            return out;
          },
        });
        let points: Array<{ t: number; v: number }>;
        let period = fallback;
        if (v.kind === 'series') {
          points = [...v.s].filter(([, x]) => Number.isFinite(x)).map(([t, x]) => ({ t, v: x }));
          period = v.period;
        } else if (v.kind === 'scalar') points = Number.isFinite(v.v) ? [{ t: Math.floor(from / (fallback * 1000)) * fallback * 1000, v: v.v }] : [];
        else throw new MathError('The expression must return a single time series');
        points.sort((a, b) => a.t - b.t);
        r = { Id: id, Label: q.Label ?? id, points, period, returnData: q.ReturnData !== false, messages: [] };
      } catch (err) {
        if (err instanceof MathError) throw invalidParameter(`Error in expression ${id}: ${err.message}`);
        throw err;
      }
    }
    resolving.delete(id);
    results.set(id, r);
    return r;
  };
  for (const q of queries) resolve(q.Id);
  return queries.map((q) => results.get(q.Id)!);
}

export function getMetricData(store: MetricStore, input: In): Record<string, unknown> {
  const from = time(input, 'StartTime');
  const to = time(input, 'EndTime');
  if (to <= from) throw invalidParameter('The parameter StartTime must be less than the parameter EndTime.');
  const descending = input.ScanBy !== 'TimestampAscending';
  const max = typeof input.MaxDatapoints === 'number' ? input.MaxDatapoints : 100_800;
  const results = runQueries(store, input.MetricDataQueries as Query[], from, to).filter((r) => r.returnData);
  let budget = max;
  return {
    MetricDataResults: results.map((r) => {
      let pts = descending ? [...r.points].reverse() : r.points;
      const partial = pts.length > budget;
      pts = pts.slice(0, Math.max(0, budget));
      budget -= pts.length;
      return {
        Id: r.Id,
        Label: r.Label,
        Timestamps: pts.map((p) => new Date(p.t)),
        Values: pts.map((p) => p.v),
        StatusCode: partial ? 'PartialData' : 'Complete',
        Messages: r.messages,
      };
    }),
    Messages: [],
  };
}

export { sortDimensions };
