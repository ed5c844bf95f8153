// Term-level queries: term, terms, range, prefix, wildcard, regexp, fuzzy, exists, ids, match_all, match_none.
// Keyword/text fields use the inverted index (postings), numeric/date/boolean fields scan doc values.
import { OpenSearchError } from '../../errors';
import { Bitset } from '../../engine/bitset';
import { scoreExpansions } from '../../engine/bm25';
import type { KeywordField, NumericField, TextField } from '../../engine/fields';
import type { Expansion, TermPostings } from '../../engine/inverted-field';
import { EMPTY, ScoredDocs } from '../../engine/scored-docs';
import type { FieldInfo } from '../../mapping/types';
import { DateMathError, parseDateMath } from '../../util/dates';
import type { ShardContext } from '../context';
import { ConstantQuery, HighlightTerms, Query, addHighlight } from './base';

/** Converts a query value for a numeric/date/boolean field, failing like OpenSearch's query_shard_exception. */
export function numericValue(ctx: ShardContext, info: FieldInfo, value: unknown, roundUp = false): number {
  if (info.kind === 'date') {
    try {
      return parseDateMath(value, info.format, roundUp, ctx.now);
    } catch (e) {
      const msg = e instanceof DateMathError ? e.message : String(e);
      throw ctx.fail(`failed to create query: ${msg}`, new OpenSearchError('parse_exception', msg, 400));
    }
  }
  if (info.kind === 'boolean') {
    if (value === true || value === 'true') return 1;
    if (value === false || value === 'false') return 0;
    throw ctx.fail(`failed to create query: Can't parse boolean value [${String(value)}], expected [true] or [false]`);
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(n)) {
    throw ctx.fail(`failed to create query: For input string: "${String(value)}"`, new OpenSearchError('number_format_exception', `For input string: "${String(value)}"`, 400));
  }
  return info.float32 ? Math.fround(n) : n;
}

function keywordValue(info: FieldInfo, value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  return info.kind === 'keyword' && info.normalizer ? info.normalizer(s) : s;
}

function postingsBits(ctx: ShardContext, list: (TermPostings | undefined)[]): Bitset {
  const bits = ctx.emptyBits();
  const live = ctx.live;
  for (const p of list) {
    if (!p) continue;
    for (let i = 0; i < p.n; i++) {
      const d = p.docs[i];
      if (live.has(d)) bits.set(d);
    }
  }
  return bits;
}

/** Scans numeric doc values: documents with any value accepted by `test`. */
export function scanNumeric(ctx: ShardContext, f: NumericField, test: (v: number) => boolean): Bitset {
  const bits = ctx.emptyBits();
  const vals = f.dv.values;
  const live = ctx.live;
  const n = Math.min(ctx.maxOrd, vals.length);
  for (let d = 0; d < n; d++) {
    const v = vals[d];
    if (v === v && live.has(d) && test(v)) bits.set(d);
  }
  for (const [d, arr] of f.dv.multi) {
    if (d < n && live.has(d) && !bits.has(d)) for (const v of arr) if (test(v)) bits.set(d);
  }
  return bits;
}

/** Range scan over doc values without a per-document callback (the hot path of filters). */
function scanRange(ctx: ShardContext, f: NumericField, lo: number, loIncl: boolean, hi: number, hiIncl: boolean): Bitset {
  const bits = ctx.emptyBits();
  const words = bits.words;
  const live = ctx.live.words;
  const vals = f.dv.values;
  const n = Math.min(ctx.maxOrd, vals.length);
  // Normalise exclusive bounds to inclusive comparisons on doubles.
  const a = loIncl ? lo : lo === -Infinity ? lo : nextUp(lo);
  const b = hiIncl ? hi : hi === Infinity ? hi : nextDown(hi);
  for (let d = 0; d < n; d++) {
    const v = vals[d];
    if (v >= a && v <= b && (live[d >>> 5] & (1 << (d & 31))) !== 0) words[d >>> 5] |= 1 << (d & 31);
  }
  for (const [d, arr] of f.dv.multi) {
    if (d < n && ctx.live.has(d)) for (const v of arr) if (v >= a && v <= b) bits.set(d);
  }
  return bits;
}

const f64 = new Float64Array(1);
const u64 = new BigInt64Array(f64.buffer);
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}
function nextDown(x: number): number {
  return -nextUp(-x);
}

function isInverted(f: unknown): f is TextField | KeywordField {
  return !!f && ((f as TextField).kind === 'text' || (f as KeywordField).kind === 'keyword');
}

export class MatchAllQuery extends ConstantQuery {
  filter(ctx: ShardContext): Bitset {
    return ctx.allBits();
  }
}

export class MatchNoneQuery extends ConstantQuery {
  filter(ctx: ShardContext): Bitset {
    return ctx.emptyBits();
  }
  override score(): ScoredDocs {
    return EMPTY;
  }
}

export class TermQuery extends Query {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly caseInsensitive = false,
  ) {
    super();
  }
  private postings(ctx: ShardContext): { f: TextField | KeywordField; list: TermPostings[] } | null {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !isInverted(f)) return null;
    const v = keywordValue(info, this.value);
    if (this.caseInsensitive) {
      const lower = v.toLowerCase();
      const list: TermPostings[] = [];
      for (const p of f.inv.byId) if (p.term.toLowerCase() === lower) list.push(p);
      return { f, list };
    }
    const p = f.inv.get(v);
    return { f, list: p ? [p] : [] };
  }
  score(ctx: ShardContext): ScoredDocs {
    if (this.field === '_id') return new IdsQuery([String(this.value)]).score(ctx);
    const info = ctx.info(this.field);
    if (!info) return EMPTY;
    if (info.kind === 'number' || info.kind === 'date' || info.kind === 'boolean') {
      const bits = this.filter(ctx);
      const docs = bits.toArray();
      return { docs, scores: new Float64Array(docs.length).fill(this.boost), length: docs.length };
    }
    const pl = this.postings(ctx);
    if (!pl || pl.list.length === 0) return EMPTY;
    const acc = ctx.engine.pool.acquire();
    try {
      const exps: Expansion[] = pl.list.map((p) => ({ postings: p, boost: 1, distance: 0 }));
      scoreExpansions(pl.f.inv, exps, this.boost, acc, ctx.live, pl.f.kind === 'text');
      return acc.collect(1);
    } finally {
      ctx.engine.pool.release(acc);
    }
  }
  override filter(ctx: ShardContext): Bitset {
    if (this.field === '_id') return new IdsQuery([String(this.value)]).filter(ctx);
    const info = ctx.info(this.field);
    if (!info) return ctx.emptyBits();
    if (info.kind === 'number' || info.kind === 'date' || info.kind === 'boolean') {
      const f = ctx.field(this.field) as NumericField | undefined;
      const n = numericValue(ctx, info, this.value);
      if (!f) return ctx.emptyBits();
      return scanNumeric(ctx, f, (v) => v === n);
    }
    const pl = this.postings(ctx);
    return pl ? postingsBits(ctx, pl.list) : ctx.emptyBits();
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    const info = ctx.info(this.field);
    if (info && (info.kind === 'text' || info.kind === 'keyword')) addHighlight(out, this.field, keywordValue(info, this.value));
  }
  override matcher(ctx: ShardContext): ((d: number) => boolean) | null {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !f || f.kind !== 'number' || this.field === '_id') return null;
    const n = numericValue(ctx, info, this.value);
    const vals = f.dv.values;
    const multi = f.dv.multi;
    return (d) => {
      const m = multi.size ? multi.get(d) : undefined;
      if (m) return m.includes(n);
      return d < vals.length && vals[d] === n;
    };
  }
}

export class TermsQuery extends ConstantQuery {
  constructor(
    readonly field: string,
    readonly values: unknown[],
  ) {
    super();
  }
  filter(ctx: ShardContext): Bitset {
    if (this.field === '_id') return new IdsQuery(this.values.map(String)).filter(ctx);
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !f) return ctx.emptyBits();
    if (f.kind === 'number') {
      const set = new Set(this.values.map((v) => numericValue(ctx, info, v)));
      return scanNumeric(ctx, f, (v) => set.has(v));
    }
    return postingsBits(ctx, this.values.map((v) => f.inv.get(keywordValue(info, v))));
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    for (const v of this.values) new TermQuery(this.field, v).highlightTerms(ctx, out);
  }
}

export interface RangeBounds {
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
  format?: string;
}

export class RangeQuery extends ConstantQuery {
  constructor(
    readonly field: string,
    readonly b: RangeBounds,
  ) {
    super();
  }
  /** Inclusive numeric bounds [a, b] of this range on a numeric/date field. */
  private bounds(ctx: ShardContext, info: FieldInfo): [number, number] {
    const conv = (v: unknown, up: boolean) => {
      if (v === undefined || v === null) return undefined;
      const i = this.b.format && info.kind === 'date' ? { ...info, format: this.b.format } : info;
      return numericValue(ctx, i, v, up);
    };
    const gt = conv(this.b.gt, true);
    const gte = conv(this.b.gte, false);
    const lt = conv(this.b.lt, false);
    const lte = conv(this.b.lte, true);
    const lo = gt !== undefined ? nextUp(gt) : gte !== undefined ? gte : -Infinity;
    const hi = lt !== undefined ? nextDown(lt) : lte !== undefined ? lte : Infinity;
    return [lo, hi];
  }

  override matcher(ctx: ShardContext): ((d: number) => boolean) | null {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !f || f.kind !== 'number') return null;
    const [a, b] = this.bounds(ctx, info);
    const vals = f.dv.values;
    const multi = f.dv.multi;
    if (multi.size === 0) return (d) => d < vals.length && vals[d] >= a && vals[d] <= b;
    return (d) => {
      const m = multi.get(d);
      if (!m) return d < vals.length && vals[d] >= a && vals[d] <= b;
      for (const v of m) if (v >= a && v <= b) return true;
      return false;
    };
  }

  filter(ctx: ShardContext): Bitset {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !f) return ctx.emptyBits();
    if (f.kind === 'number') {
      const [a, b] = this.bounds(ctx, info);
      return scanRange(ctx, f, a, true, b, true);
    }
    const s = (v: unknown) => (v === undefined || v === null ? undefined : keywordValue(info, v));
    const gt = s(this.b.gt);
    const gte = s(this.b.gte);
    const lt = s(this.b.lt);
    const lte = s(this.b.lte);
    const list: TermPostings[] = [];
    for (const p of f.inv.byId) {
      const t = p.term;
      if (gt !== undefined && !(t > gt)) continue;
      if (gte !== undefined && !(t >= gte)) continue;
      if (lt !== undefined && !(t < lt)) continue;
      if (lte !== undefined && !(t <= lte)) continue;
      list.push(p);
    }
    return postingsBits(ctx, list);
  }
}

/** Shared by prefix / wildcard / regexp: dictionary terms accepted by a predicate, constant score. */
abstract class MultiTermQuery extends ConstantQuery {
  constructor(readonly field: string) {
    super();
  }
  protected abstract terms(ctx: ShardContext, f: TextField | KeywordField): TermPostings[];
  filter(ctx: ShardContext): Bitset {
    const f = ctx.field(this.field);
    if (!isInverted(f)) return ctx.emptyBits();
    return postingsBits(ctx, this.terms(ctx, f));
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    const f = ctx.field(this.field);
    if (!isInverted(f)) return;
    for (const p of this.terms(ctx, f).slice(0, 1024)) addHighlight(out, this.field, p.term);
  }
}

export class PrefixQuery extends MultiTermQuery {
  constructor(
    field: string,
    readonly prefix: string,
    readonly caseInsensitive = false,
  ) {
    super(field);
  }
  protected terms(ctx: ShardContext, f: TextField | KeywordField): TermPostings[] {
    const info = ctx.info(this.field)!;
    const pre = keywordValue(info, this.prefix);
    if (this.caseInsensitive) {
      const low = pre.toLowerCase();
      return f.inv.byId.filter((p) => p.term.toLowerCase().startsWith(low));
    }
    return [...f.inv.dict.atPrefix(pre).values()];
  }
}

export function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, caseInsensitive ? 'iu' : 'u');
}

export class WildcardQuery extends MultiTermQuery {
  constructor(
    field: string,
    readonly pattern: string,
    readonly caseInsensitive = false,
  ) {
    super(field);
  }
  protected terms(ctx: ShardContext, f: TextField | KeywordField): TermPostings[] {
    const info = ctx.info(this.field)!;
    const pat = keywordValue(info, this.pattern);
    const rx = wildcardToRegExp(pat, this.caseInsensitive);
    const lit = /^[^*?\\]*/.exec(pat)![0];
    const source = lit && !this.caseInsensitive ? f.inv.dict.atPrefix(lit).values() : f.inv.byId.values();
    const out: TermPostings[] = [];
    for (const p of source) if (rx.test(p.term)) out.push(p);
    return out;
  }
}

export class RegexpQuery extends MultiTermQuery {
  constructor(
    field: string,
    readonly pattern: string,
    readonly caseInsensitive = false,
  ) {
    super(field);
  }
  protected terms(ctx: ShardContext, f: TextField | KeywordField): TermPostings[] {
    let rx: RegExp;
    try {
      rx = new RegExp(`^(?:${this.pattern})$`, this.caseInsensitive ? 'iu' : 'u');
    } catch (e) {
      throw ctx.fail(`failed to create query: ${(e as Error).message}`);
    }
    return f.inv.byId.filter((p) => rx.test(p.term));
  }
}

/** fuzzy query: one term expanded by edit distance and scored like Lucene's FuzzyQuery. */
export class FuzzyQuery extends Query {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly fuzziness: unknown,
    readonly prefixLength = 0,
    readonly maxExpansions = 50,
    readonly transpositions = true,
  ) {
    super();
  }
  private expansions(ctx: ShardContext): { f: TextField | KeywordField; exps: Expansion[] } | null {
    const f = ctx.field(this.field);
    if (!isInverted(f)) return null;
    const term = keywordValue(ctx.info(this.field)!, this.value);
    const exps = f.inv.expand({
      term,
      fuzziness: resolveFuzziness(this.fuzziness, term),
      prefixLength: this.prefixLength,
      maxExpansions: this.maxExpansions,
      transpositions: this.transpositions,
    });
    return { f, exps };
  }
  score(ctx: ShardContext): ScoredDocs {
    const e = this.expansions(ctx);
    if (!e || e.exps.length === 0) return EMPTY;
    const acc = ctx.engine.pool.acquire();
    try {
      scoreExpansions(e.f.inv, e.exps, this.boost, acc, ctx.live, e.f.kind === 'text');
      return acc.collect(1);
    } finally {
      ctx.engine.pool.release(acc);
    }
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    const e = this.expansions(ctx);
    if (e) for (const x of e.exps) addHighlight(out, this.field, x.postings.term);
  }
}

/** Edit distance allowed for a term: AUTO[:low,high] (0 below low chars, 1 below high, else 2) or 0/1/2. */
export function resolveFuzziness(f: unknown, term: string): number {
  if (f === undefined || f === null) return 0;
  const s = String(f).toUpperCase();
  if (s.startsWith('AUTO')) {
    let low = 3;
    let high = 6;
    const m = /^AUTO:(\d+),(\d+)$/.exec(s);
    if (m) {
      low = Number(m[1]);
      high = Number(m[2]);
    }
    const len = [...term].length;
    return len < low ? 0 : len < high ? 1 : 2;
  }
  const n = Number(s);
  if (Number.isNaN(n)) return 0;
  return Math.min(2, Math.max(0, Math.floor(n)));
}

export class ExistsQuery extends ConstantQuery {
  constructor(readonly field: string) {
    super();
  }
  filter(ctx: ShardContext): Bitset {
    const bits = ctx.emptyBits();
    const fields = ctx.engine.mapping.objectPaths.has(this.field)
      ? [...ctx.engine.fields.keys()].filter((p) => p.startsWith(this.field + '.'))
      : ctx.resolveFields(this.field);
    for (const path of fields) {
      const f = ctx.field(path);
      if (!f) continue;
      for (let d = 0; d < ctx.maxOrd; d++) if (!bits.has(d) && ctx.live.has(d) && f.has(d)) bits.set(d);
    }
    return bits;
  }
}

export class IdsQuery extends ConstantQuery {
  constructor(readonly ids: string[]) {
    super();
  }
  filter(ctx: ShardContext): Bitset {
    const bits = ctx.emptyBits();
    const e = ctx.engine;
    let missing = false;
    for (const id of this.ids) {
      for (let s = 0; s < e.numberOfShards; s++) {
        const rec = e.docs.get(e.numberOfShards === 1 ? id : `${s}\u0000${id}`);
        if (rec && rec.source !== null && rec.ord >= 0 && ctx.live.has(rec.ord)) bits.set(rec.ord);
        else if (rec) missing = true; // changed since the last refresh: the visible version has another ordinal
      }
    }
    if (missing) {
      const want = new Set(this.ids);
      for (let d = 0; d < ctx.maxOrd; d++) if (ctx.live.has(d) && want.has(e.byOrd[d].id)) bits.set(d);
    }
    return bits;
  }
}
