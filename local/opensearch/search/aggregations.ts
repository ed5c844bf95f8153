// Aggregations over the matching documents of all searched indices: bucket aggs (terms, range, date_range,
// histogram, date_histogram, filter, filters, missing, global) with nested sub-aggregations, and metrics (min, max,
// avg, sum, stats, value_count, cardinality). Responses follow OpenSearch's shapes (doc_count_error_upper_bound,
// sum_other_doc_count, range keys like "*-50.0", value_as_string for dates).
import { IllegalArgumentError, ParsingError } from '../errors';
import type { KeywordField, NumericField } from '../engine/fields';
import { DateMathError, formatDate, parseDateMath } from '../util/dates';
import { javaDouble } from '../util/format';
import { isPlainObject } from '../util/json';
import type { ShardContext } from './context';
import type { Query } from './queries/base';
import type { QueryParser } from './query-parser';
import { FIELDDATA_MESSAGE } from './sort';

/** Documents of one index taking part in an aggregation. */
export interface Segment {
  ctx: ShardContext;
  docs: Int32Array;
  length: number;
}

export interface AggSpec {
  name: string;
  type: string;
  body: Record<string, unknown>;
  filterQuery?: Query;
  filtersQueries?: [string, Query][];
  subs: AggSpec[];
}

const BUCKET = ['terms', 'range', 'date_range', 'histogram', 'date_histogram', 'filter', 'filters', 'missing', 'global'];
const METRIC = ['min', 'max', 'avg', 'sum', 'stats', 'value_count', 'cardinality'];

export function parseAggs(v: unknown, qp: QueryParser): AggSpec[] {
  if (!isPlainObject(v)) throw new ParsingError('Aggregation definition must be an object');
  const out: AggSpec[] = [];
  for (const [name, defU] of Object.entries(v)) {
    if (!isPlainObject(defU)) throw new ParsingError(`Expected [START_OBJECT] under [${name}], but got a [VALUE] in [${name}]`);
    let type: string | undefined;
    let subs: AggSpec[] = [];
    for (const [k, body] of Object.entries(defU)) {
      if (k === 'aggs' || k === 'aggregations') subs = parseAggs(body, qp);
      else if (k === 'meta') continue;
      else {
        if (type) throw new ParsingError(`Found two aggregation type definitions in [${name}]: [${type}] and [${k}]`);
        if (!BUCKET.includes(k) && !METRIC.includes(k)) throw new ParsingError(`Unknown aggregation type [${k}]`);
        type = k;
      }
    }
    if (!type) throw new ParsingError(`Missing definition for aggregation [${name}]`);
    const body = defU[type];
    const spec: AggSpec = { name, type, body: isPlainObject(body) ? body : {}, subs };
    if (type === 'filter') spec.filterQuery = qp.parse(body);
    if (type === 'filters') {
      const f = spec.body.filters;
      if (Array.isArray(f)) spec.filtersQueries = f.map((q, i) => [String(i), qp.parse(q)]);
      else if (isPlainObject(f)) spec.filtersQueries = Object.entries(f).map(([k, q]) => [k, qp.parse(q)]);
      else throw new ParsingError('[filters] requires filters');
    }
    if (METRIC.includes(type) && subs.length) throw new IllegalArgumentError(`Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
    if (type !== 'filter' && type !== 'filters' && type !== 'global' && !isPlainObject(body)) throw new ParsingError(`[${type}] aggregation must be an object`);
    out.push(spec);
  }
  return out;
}

type Key = string | number;

interface FieldAccess {
  kind: 'keyword' | 'number' | 'none';
  date: boolean;
  bool: boolean;
  keyword?: KeywordField;
  numeric?: NumericField;
}

function access(seg: Segment, field: unknown, aggName: string): FieldAccess {
  if (typeof field !== 'string') throw new IllegalArgumentError(`Required one of fields [field, script], but none were specified. `);
  const info = seg.ctx.info(field);
  if (!info) return { kind: 'none', date: false, bool: false };
  if (info.kind === 'text' && !info.fielddata) throw new IllegalArgumentError(FIELDDATA_MESSAGE(field));
  void aggName;
  const f = seg.ctx.field(field);
  if (info.kind === 'text') return { kind: 'none', date: false, bool: false }; // fielddata=true: not loaded here
  if (info.kind === 'keyword') return { kind: f ? 'keyword' : 'none', date: false, bool: false, keyword: f as KeywordField };
  if (info.kind === 'number' || info.kind === 'date' || info.kind === 'boolean') {
    return { kind: f ? 'number' : 'none', date: info.kind === 'date', bool: info.kind === 'boolean', numeric: f as NumericField };
  }
  return { kind: 'none', date: false, bool: false };
}

/** Values of a document for an aggregation field. */
function values(a: FieldAccess, d: number): ArrayLike<Key> {
  if (a.kind === 'number') return a.numeric!.dv.all(d);
  if (a.kind === 'keyword') {
    const ids = a.keyword!.dv?.all(d) ?? [];
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) out.push(a.keyword!.term(ids[i]));
    return out;
  }
  return [];
}

function metric(spec: AggSpec, segs: Segment[]): Record<string, unknown> {
  const field = spec.body.field;
  const missing = spec.body.missing;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let isDate = false;
  const distinct = new Set<Key>();
  for (const seg of segs) {
    if (spec.type === 'value_count' || spec.type === 'cardinality') {
      const a = access(seg, field, spec.name);
      for (let i = 0; i < seg.length; i++) {
        const vs = values(a, seg.docs[i]);
        count += vs.length;
        if (spec.type === 'cardinality') for (let j = 0; j < vs.length; j++) distinct.add(vs[j]);
        if (vs.length === 0 && missing !== undefined) {
          count++;
          distinct.add(missing as Key);
        }
      }
      continue;
    }
    const a = access(seg, field, spec.name);
    if (a.kind === 'keyword') throw seg.ctx.fail(`Field [${String(field)}] of type [keyword] is not supported for aggregation [${spec.name}]`);
    isDate = isDate || a.date;
    if (a.kind === 'number') {
      const dv = a.numeric!.dv;
      const vals = dv.values;
      const multi = dv.multi.size > 0;
      const docs = seg.docs;
      for (let i = 0; i < seg.length; i++) {
        const d = docs[i];
        if (multi && dv.multi.has(d)) {
          for (const v of dv.multi.get(d)!) {
            count++;
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
          }
          continue;
        }
        const v = vals[d];
        if (v !== v) continue;
        count++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (missing !== undefined && a.kind !== 'none') {
      const mv = Number(missing);
      for (let i = 0; i < seg.length; i++) {
        if (!a.numeric!.dv.has(seg.docs[i])) {
          count++;
          sum += mv;
          if (mv < min) min = mv;
          if (mv > max) max = mv;
        }
      }
    }
  }
  const withStr = (v: number | null, key = 'value'): Record<string, unknown> => (isDate && v !== null ? { [key]: v, [`${key}_as_string`]: formatDate(v) } : { [key]: v });
  switch (spec.type) {
    case 'min':
      return withStr(count ? min : null);
    case 'max':
      return withStr(count ? max : null);
    case 'avg':
      return { value: count ? sum / count : null };
    case 'sum':
      return { value: sum };
    case 'value_count':
      return { value: count };
    case 'cardinality':
      return { value: distinct.size };
    default: {
      const out: Record<string, unknown> = { count, min: count ? min : null, max: count ? max : null, avg: count ? sum / count : null, sum };
      if (isDate && count) Object.assign(out, { min_as_string: formatDate(min), max_as_string: formatDate(max), avg_as_string: formatDate(sum / count), sum_as_string: formatDate(sum) });
      return out;
    }
  }
}

interface Bucket {
  key: Key;
  segs: Segment[];
  count: number;
  extra?: Record<string, unknown>;
}

/** Distributes documents to buckets per segment (doc lists kept only when sub-aggregations need them). */
class Bucketer {
  private readonly map = new Map<Key, { count: number; perSeg: number[][] }>();
  constructor(
    private readonly segs: Segment[],
    private readonly keepDocs: boolean,
  ) {}
  add(segIndex: number, key: Key, d: number): void {
    let b = this.map.get(key);
    if (!b) this.map.set(key, (b = { count: 0, perSeg: this.segs.map(() => []) }));
    b.count++;
    if (this.keepDocs) b.perSeg[segIndex].push(d);
  }
  buckets(): Bucket[] {
    return [...this.map.entries()].map(([key, b]) => ({
      key,
      count: b.count,
      segs: b.perSeg.map((docs, i) => ({ ctx: this.segs[i].ctx, docs: Int32Array.from(docs), length: docs.length })),
    }));
  }
}

function subAggs(spec: AggSpec, segs: Segment[]): Record<string, unknown> {
  return spec.subs.length ? runAggs(spec.subs, segs) : {};
}

function bucketOrder(spec: AggSpec): { key: string; dir: 'asc' | 'desc' }[] {
  const o = spec.body.order;
  const list = o === undefined ? [] : Array.isArray(o) ? o : [o];
  const out: { key: string; dir: 'asc' | 'desc' }[] = [];
  for (const item of list) {
    if (!isPlainObject(item)) throw new ParsingError(`[order] must be an object`);
    for (const [k, v] of Object.entries(item)) {
      const dir = String(v).toLowerCase();
      if (dir !== 'asc' && dir !== 'desc') throw new ParsingError(`Unknown order direction [${String(v)}]`);
      out.push({ key: k === '_term' ? '_key' : k, dir });
    }
  }
  return out;
}

/**
 * terms on keyword fields ordered by count or key: counts per term id (no per-document Map work), then documents
 * are gathered only for the buckets that are returned (when sub-aggregations need them).
 */
function keywordTerms(spec: AggSpec, segs: Segment[], fields: KeywordField[], size: number, minDocCount: number, accept: (k: Key) => boolean, orders: { key: string; dir: 'asc' | 'desc' }[]): Record<string, unknown> {
  const total = new Map<string, number>();
  segs.forEach((seg, si) => {
    const kf = fields[si];
    if (!kf) return;
    const counts = new Int32Array(kf.inv.byId.length);
    const ords = kf.dv.ords;
    const multi = kf.dv.multi.size > 0;
    for (let i = 0; i < seg.length; i++) {
      const d = seg.docs[i];
      if (multi && kf.dv.multi.has(d)) for (const id of kf.dv.multi.get(d)!) counts[id]++;
      else if (d < ords.length && ords[d] !== 0) counts[ords[d] - 1]++;
    }
    for (let id = 0; id < counts.length; id++) if (counts[id] !== 0) total.set(kf.term(id), (total.get(kf.term(id)) ?? 0) + counts[id]);
  });
  let buckets = [...total.entries()].filter(([k, c]) => c >= minDocCount && accept(k));
  buckets.sort((x, y) => {
    for (const o of orders) {
      const a = o.key === '_count' ? x[1] : x[0];
      const c = o.key === '_count' ? y[1] : y[0];
      const r = a < c ? -1 : a > c ? 1 : 0;
      if (r !== 0) return o.dir === 'asc' ? r : -r;
    }
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
  });
  const all = buckets.reduce((n, x) => n + x[1], 0);
  buckets = buckets.slice(0, size);
  const shown = buckets.reduce((n, x) => n + x[1], 0);
  let docsOf: ((bi: number) => Segment[]) | null = null;
  if (spec.subs.length) {
    const lists = buckets.map(() => segs.map(() => [] as number[]));
    segs.forEach((seg, si) => {
      const kf = fields[si];
      if (!kf) return;
      const slot = new Int32Array(kf.inv.byId.length).fill(-1);
      buckets.forEach(([key], bi) => {
        const p = kf.inv.get(key);
        if (p) slot[p.id] = bi;
      });
      const ords = kf.dv.ords;
      for (let i = 0; i < seg.length; i++) {
        const d = seg.docs[i];
        const m = kf.dv.multi.get(d);
        if (m) {
          for (const id of m) if (slot[id] >= 0) lists[slot[id]][si].push(d);
        } else if (d < ords.length && ords[d] !== 0) {
          const bi = slot[ords[d] - 1];
          if (bi >= 0) lists[bi][si].push(d);
        }
      }
    });
    docsOf = (bi) => lists[bi].map((docs, si) => ({ ctx: segs[si].ctx, docs: Int32Array.from(docs), length: docs.length }));
  }
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: all - shown,
    buckets: buckets.map(([key, count], bi) => ({ key, doc_count: count, ...(docsOf ? subAggs(spec, docsOf(bi)) : {}) })),
  };
}

function terms(spec: AggSpec, segs: Segment[]): Record<string, unknown> {
  const b = spec.body;
  const size = b.size !== undefined ? Number(b.size) : 10;
  if (!(size > 0)) throw new IllegalArgumentError(`[size] must be greater than 0. Found [${size}] in [${spec.name}]`);
  const minDocCount = b.min_doc_count !== undefined ? Number(b.min_doc_count) : 1;
  let include: ((k: Key) => boolean) | null = null;
  if (typeof b.include === 'string') {
    const rx = new RegExp(`^(?:${b.include})$`);
    include = (k) => rx.test(String(k));
  } else if (Array.isArray(b.include)) {
    const set = new Set(b.include.map(String));
    include = (k) => set.has(String(k));
  }
  let exclude: ((k: Key) => boolean) | null = null;
  if (typeof b.exclude === 'string') {
    const rx = new RegExp(`^(?:${b.exclude})$`);
    exclude = (k) => rx.test(String(k));
  } else if (Array.isArray(b.exclude)) {
    const set = new Set(b.exclude.map(String));
    exclude = (k) => set.has(String(k));
  }
  const keep = spec.subs.length > 0;
  const order = bucketOrder(spec);
  const orders = order.length ? order : [{ key: '_count', dir: 'desc' as const }];
  const accesses = segs.map((seg) => access(seg, b.field, spec.name));
  if (b.missing === undefined && accesses.every((a) => a.kind !== 'number') && accesses.some((a) => a.kind === 'keyword') && orders.every((o) => o.key === '_count' || o.key === '_key')) {
    return keywordTerms(spec, segs, accesses.map((a) => a.keyword!), size, minDocCount, (k) => (!include || include(k)) && (!exclude || !exclude(k)), orders);
  }
  const bucketer = new Bucketer(segs, keep);
  let isDate = false;
  let isBool = false;
  segs.forEach((seg, si) => {
    const a = accesses[si];
    isDate = isDate || a.date;
    isBool = isBool || a.bool;
    for (let i = 0; i < seg.length; i++) {
      const d = seg.docs[i];
      const vs = values(a, d);
      if (vs.length === 0) {
        if (b.missing !== undefined) bucketer.add(si, b.missing as Key, d);
        continue;
      }
      const seen = vs.length > 1 ? new Set<Key>() : null;
      for (let j = 0; j < vs.length; j++) {
        if (seen) {
          if (seen.has(vs[j])) continue;
          seen.add(vs[j]);
        }
        bucketer.add(si, vs[j], d);
      }
    }
  });
  let buckets = bucketer.buckets().filter((x) => x.count >= minDocCount && (!include || include(x.key)) && (!exclude || !exclude(x.key)));
  const subValues = new Map<Bucket, Record<string, unknown>>();
  const needSubsForOrder = orders.some((o) => o.key !== '_count' && o.key !== '_key');
  if (needSubsForOrder) for (const bk of buckets) subValues.set(bk, subAggs(spec, bk.segs));
  const orderValue = (bk: Bucket, key: string): number | string => {
    if (key === '_count') return bk.count;
    if (key === '_key') return bk.key;
    const [aggName, prop] = key.split(/[.>]/);
    const sub = subValues.get(bk)?.[aggName] as Record<string, unknown> | undefined;
    if (!sub) throw new IllegalArgumentError(`Invalid aggregation order path [${key}]. Unknown aggregation [${aggName}]`);
    const v = sub[prop ?? 'value'] ?? sub.doc_count;
    return v === null ? -Infinity : (v as number);
  };
  buckets.sort((x, y) => {
    for (const o of orders) {
      const a = orderValue(x, o.key);
      const c = orderValue(y, o.key);
      const r = a < c ? -1 : a > c ? 1 : 0;
      if (r !== 0) return o.dir === 'asc' ? r : -r;
    }
    return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
  });
  const total = buckets.reduce((s, x) => s + x.count, 0);
  buckets = buckets.slice(0, size);
  const shown = buckets.reduce((s, x) => s + x.count, 0);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: total - shown,
    buckets: buckets.map((bk) => {
      const out: Record<string, unknown> = { key: bk.key };
      if (isDate) out.key_as_string = formatDate(bk.key as number);
      if (isBool) out.key_as_string = bk.key === 1 ? 'true' : 'false';
      out.doc_count = bk.count;
      Object.assign(out, subValues.get(bk) ?? subAggs(spec, bk.segs));
      return out;
    }),
  };
}

function ranges(spec: AggSpec, segs: Segment[], date: boolean): Record<string, unknown> {
  const b = spec.body;
  if (!Array.isArray(b.ranges)) throw new ParsingError(`[ranges] is required for [${spec.type}] aggregation [${spec.name}]`);
  const ctx0 = segs[0]?.ctx;
  const conv = (v: unknown, seg?: Segment): number | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!date) return Number(v);
    const info = seg?.ctx.info(String(b.field));
    try {
      return parseDateMath(v, (b.format as string | undefined) ?? info?.format, false, ctx0?.now ?? Date.now());
    } catch (e) {
      throw new IllegalArgumentError(e instanceof DateMathError ? e.message : String(e));
    }
  };
  const defs = (b.ranges as Record<string, unknown>[]).map((r) => ({ from: conv(r.from, segs[0]), to: conv(r.to, segs[0]), key: r.key as string | undefined }));
  const counts = defs.map(() => ({ count: 0, perSeg: segs.map(() => [] as number[]) }));
  const froms = defs.map((r) => (r.from === undefined ? -Infinity : r.from));
  const tos = defs.map((r) => (r.to === undefined ? Infinity : r.to));
  const keep = spec.subs.length > 0;
  segs.forEach((seg, si) => {
    const a = access(seg, b.field, spec.name);
    if (a.kind !== 'number') return;
    const dv = a.numeric!.dv;
    const vals = dv.values;
    const multi = dv.multi.size > 0;
    for (let i = 0; i < seg.length; i++) {
      const d = seg.docs[i];
      if (multi && dv.multi.has(d)) {
        const vs = dv.multi.get(d)!;
        for (let ri = 0; ri < froms.length; ri++) {
          for (let j = 0; j < vs.length; j++) {
            if (vs[j] >= froms[ri] && vs[j] < tos[ri]) {
              counts[ri].count++;
              if (keep) counts[ri].perSeg[si].push(d);
              break;
            }
          }
        }
        continue;
      }
      const v = vals[d];
      if (v !== v) continue;
      for (let ri = 0; ri < froms.length; ri++) {
        if (v >= froms[ri] && v < tos[ri]) {
          counts[ri].count++;
          if (keep) counts[ri].perSeg[si].push(d);
        }
      }
    }
  });
  const str = (v: number | undefined) => (v === undefined ? '*' : date ? formatDate(v) : javaDouble(v));
  const buckets = defs.map((r, ri) => {
    const out: Record<string, unknown> = { key: r.key ?? `${str(r.from)}-${str(r.to)}` };
    if (r.from !== undefined) {
      out.from = r.from;
      if (date) out.from_as_string = formatDate(r.from);
    }
    if (r.to !== undefined) {
      out.to = r.to;
      if (date) out.to_as_string = formatDate(r.to);
    }
    out.doc_count = counts[ri].count;
    Object.assign(out, subAggs(spec, counts[ri].perSeg.map((docs, i) => ({ ctx: segs[i].ctx, docs: Int32Array.from(docs), length: docs.length }))));
    return out;
  });
  if (b.keyed === true) return { buckets: Object.fromEntries(buckets.map((x) => [x.key as string, (({ key: _k, ...rest }) => rest)(x)])) };
  return { buckets };
}

const CALENDAR: Record<string, string> = { minute: 'm', '1m': 'm', hour: 'h', '1h': 'h', day: 'd', '1d': 'd', week: 'w', '1w': 'w', month: 'M', '1M': 'M', quarter: 'q', '1q': 'q', year: 'y', '1y': 'y' };

function histogram(spec: AggSpec, segs: Segment[], date: boolean): Record<string, unknown> {
  const b = spec.body;
  let keyOf: (v: number) => number;
  let next: (k: number) => number;
  if (date) {
    const cal = b.calendar_interval ?? b.interval;
    const fixed = b.fixed_interval;
    if (cal !== undefined && CALENDAR[String(cal)]) {
      const unit = CALENDAR[String(cal)];
      keyOf = (v) => {
        const d = new Date(v);
        switch (unit) {
          case 'm':
            return v - (((v % 60_000) + 60_000) % 60_000);
          case 'h':
            return v - (((v % 3_600_000) + 3_600_000) % 3_600_000);
          case 'd':
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
          case 'w':
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
          case 'M':
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
          case 'q':
            return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
          default:
            return Date.UTC(d.getUTCFullYear(), 0, 1);
        }
      };
      next = (k) => {
        const d = new Date(k);
        switch (unit) {
          case 'm':
            return k + 60_000;
          case 'h':
            return k + 3_600_000;
          case 'd':
            return k + 86_400_000;
          case 'w':
            return k + 7 * 86_400_000;
          case 'M':
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
          case 'q':
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
          default:
            return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
        }
      };
    } else {
      const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(fixed ?? cal ?? ''));
      if (!m) throw new IllegalArgumentError(`Required one of fields [interval, calendar_interval, fixed_interval], but none were specified.`);
      const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms']!;
      keyOf = (v) => Math.floor(v / ms) * ms;
      next = (k) => k + ms;
    }
  } else {
    const interval = Number(b.interval);
    if (!(interval > 0)) throw new IllegalArgumentError(`[interval] must be >0 for histogram aggregation [${spec.name}]`);
    const offset = Number(b.offset ?? 0);
    keyOf = (v) => Math.floor((v - offset) / interval) * interval + offset;
    next = (k) => k + interval;
  }
  const keep = spec.subs.length > 0;
  const bucketer = new Bucketer(segs, keep);
  segs.forEach((seg, si) => {
    const a = access(seg, b.field, spec.name);
    if (a.kind !== 'number') return;
    for (let i = 0; i < seg.length; i++) {
      const d = seg.docs[i];
      const vs = a.numeric!.dv.all(d);
      const seen = new Set<number>();
      for (let j = 0; j < vs.length; j++) {
        const k = keyOf(vs[j]);
        if (!seen.has(k)) {
          seen.add(k);
          bucketer.add(si, k, d);
        }
      }
    }
  });
  const minDocCount = b.min_doc_count !== undefined ? Number(b.min_doc_count) : 0;
  const found = bucketer.buckets().sort((x, y) => (x.key as number) - (y.key as number));
  const byKey = new Map(found.map((x) => [x.key as number, x]));
  const out: Bucket[] = [];
  if (minDocCount === 0 && found.length) {
    for (let k = found[0].key as number; k <= (found[found.length - 1].key as number); k = next(k)) {
      out.push(byKey.get(k) ?? { key: k, count: 0, segs: segs.map((s) => ({ ctx: s.ctx, docs: new Int32Array(0), length: 0 })) });
      if (out.length > 65535) throw new IllegalArgumentError('Trying to create too many buckets. Must be less than or equal to: [65535].');
    }
  } else out.push(...found.filter((x) => x.count >= minDocCount));
  return {
    buckets: out.map((bk) => {
      const o: Record<string, unknown> = date ? { key_as_string: formatDate(bk.key as number), key: bk.key } : { key: bk.key };
      o.doc_count = bk.count;
      Object.assign(o, subAggs(spec, bk.segs));
      return o;
    }),
  };
}

function single(spec: AggSpec, segs: Segment[], pick: (seg: Segment) => Int32Array): Record<string, unknown> {
  const sub = segs.map((s) => {
    const docs = pick(s);
    return { ctx: s.ctx, docs, length: docs.length };
  });
  return { doc_count: sub.reduce((n, s) => n + s.length, 0), ...subAggs(spec, sub) };
}

function runOne(spec: AggSpec, segs: Segment[], globalSegs: Segment[]): Record<string, unknown> {
  switch (spec.type) {
    case 'terms':
      return terms(spec, segs);
    case 'range':
      return ranges(spec, segs, false);
    case 'date_range':
      return ranges(spec, segs, true);
    case 'histogram':
      return histogram(spec, segs, false);
    case 'date_histogram':
      return histogram(spec, segs, true);
    case 'filter':
      return single(spec, segs, (s) => {
        const bits = spec.filterQuery!.filter(s.ctx);
        return s.docs.subarray(0, s.length).filter((d) => bits.has(d));
      });
    case 'filters': {
      const buckets: Record<string, unknown> = {};
      for (const [key, q] of spec.filtersQueries!) {
        buckets[key] = single(spec, segs, (s) => {
          const bits = q.filter(s.ctx);
          return s.docs.subarray(0, s.length).filter((d) => bits.has(d));
        });
      }
      const arr = Array.isArray(spec.body.filters);
      return { buckets: arr ? Object.values(buckets) : buckets };
    }
    case 'missing':
      return single(spec, segs, (s) => {
        const f = s.ctx.field(String(spec.body.field));
        return s.docs.subarray(0, s.length).filter((d) => !f || !f.has(d));
      });
    case 'global':
      return single(spec, globalSegs, (s) => s.docs.subarray(0, s.length));
    default:
      return metric(spec, segs);
  }
}

let globalSegments: Segment[] = [];

/** Runs aggregations; `global` aggregations see `all` (every live document of the searched indices). */
export function runAggs(specs: AggSpec[], segs: Segment[], all?: Segment[]): Record<string, unknown> {
  if (all) globalSegments = all;
  const out: Record<string, unknown> = {};
  for (const spec of specs) out[spec.name] = runOne(spec, segs, globalSegments);
  return out;
}
