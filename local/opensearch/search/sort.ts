// Sorting of hits: sort specs (field asc/desc, _score, _doc, missing, mode, unmapped_type), per-shard extraction of
// sort keys into columns, top-k selection with a heap, search_after filtering and cross-index merging.
import { ParsingError, IllegalArgumentError } from '../errors';
import type { KeywordField, NumericField } from '../engine/fields';
import type { ScoredDocs } from '../engine/scored-docs';
import { formatDate, parseDateMath } from '../util/dates';
import { shortestFloat } from '../util/format';
import { isPlainObject } from '../util/json';
import type { ShardContext } from './context';

export interface SortSpec {
  field: string; // _score, _doc, _id or a field path
  order: 'asc' | 'desc';
  missing: '_last' | '_first' | unknown;
  mode?: string;
  unmappedType?: string;
  format?: string;
}

export type SortValue = number | string | null;

/** Parses the "sort" element (string, object or array of them) or the ?sort=field:desc query parameter. */
export function parseSort(v: unknown): SortSpec[] {
  const items = Array.isArray(v) ? v : [v];
  const out: SortSpec[] = [];
  const order = (o: unknown, _field: string): 'asc' | 'desc' => {
    const s = String(o).toLowerCase();
    if (s !== 'asc' && s !== 'desc') throw new IllegalArgumentError(`Unknown SortOrder [${String(o)}]`);
    return s as 'asc' | 'desc';
  };
  for (const it of items) {
    if (typeof it === 'string') {
      const [f, o] = it.split(':');
      out.push({ field: f, order: o ? order(o, f) : f === '_score' ? 'desc' : 'asc', missing: '_last' });
    } else if (isPlainObject(it)) {
      const keys = Object.keys(it);
      if (keys.length !== 1) throw new ParsingError(`[sort] expected a single field per sort object, found [${keys.join(', ')}]`);
      const f = keys[0];
      const spec = it[f];
      if (typeof spec === 'string') out.push({ field: f, order: order(spec, f), missing: '_last' });
      else if (isPlainObject(spec)) {
        for (const k of Object.keys(spec)) {
          if (!['order', 'missing', 'mode', 'unmapped_type', 'numeric_type', 'format', 'nested'].includes(k)) {
            throw new ParsingError(`[field_sort] unknown field [${k}]`);
          }
        }
        out.push({
          field: f,
          order: spec.order !== undefined ? order(spec.order, f) : f === '_score' ? 'desc' : 'asc',
          missing: spec.missing ?? '_last',
          mode: spec.mode as string | undefined,
          unmappedType: spec.unmapped_type as string | undefined,
          format: spec.format as string | undefined,
        });
      } else throw new ParsingError(`[sort] unexpected value for [${f}]`);
    } else throw new ParsingError('[sort] malformed sort format');
  }
  return out;
}

export const FIELDDATA_MESSAGE = (field: string) =>
  `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`;

type Column = { kind: 'num'; v: Float64Array } | { kind: 'str'; v: (string | null)[] };

/** One shard's candidates with their sort keys, selected down to the top k. */
export interface ShardHit {
  shardIndex: number;
  ord: number;
  score: number;
  keys: SortValue[];
}

function keyColumn(ctx: ShardContext, spec: SortSpec, sd: ScoredDocs): { col: Column; float32: boolean; date: boolean } {
  const n = sd.length;
  if (spec.field === '_score') return { col: { kind: 'num', v: Float64Array.from(sd.scores.subarray(0, n)) }, float32: true, date: false };
  if (spec.field === '_doc') return { col: { kind: 'num', v: Float64Array.from(sd.docs.subarray(0, n)) }, float32: false, date: false };
  if (spec.field === '_id') {
    const v: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) v[i] = ctx.engine.byOrd[sd.docs[i]].id;
    return { col: { kind: 'str', v }, float32: false, date: false };
  }
  const info = ctx.info(spec.field);
  if (!info) {
    if (!spec.unmappedType) throw ctx.fail(`No mapping found for [${spec.field}] in order to sort on`);
    const numeric = !['keyword', 'text', 'string'].includes(spec.unmappedType);
    return { col: numeric ? { kind: 'num', v: new Float64Array(n).fill(NaN) } : { kind: 'str', v: new Array(n).fill(null) }, float32: false, date: false };
  }
  if (info.kind === 'text') throw new IllegalArgumentError(FIELDDATA_MESSAGE(spec.field));
  const f = ctx.field(spec.field);
  const mode = spec.mode ?? (spec.order === 'desc' ? 'max' : 'min');
  if (info.kind === 'keyword') {
    const kf = f as KeywordField | undefined;
    const v: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const ids = kf ? kf.dv.all(sd.docs[i]) : [];
      if (ids.length === 0) v[i] = null;
      else {
        let best = kf!.term(ids[0]);
        for (let j = 1; j < ids.length; j++) {
          const t = kf!.term(ids[j]);
          if (mode === 'max' ? t > best : t < best) best = t;
        }
        v[i] = best;
      }
    }
    return { col: { kind: 'str', v }, float32: false, date: false };
  }
  const nf = f as NumericField | undefined;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = nf ? nf.dv.sortValue(sd.docs[i], mode) : NaN;
  return { col: { kind: 'num', v }, float32: info.float32, date: info.kind === 'date' };
}

/** Compares two sort values under a spec; missing values go last unless missing = _first. */
export function compareValues(a: SortValue, b: SortValue, spec: SortSpec): number {
  const am = a === null || (typeof a === 'number' && Number.isNaN(a));
  const bm = b === null || (typeof b === 'number' && Number.isNaN(b));
  if (am || bm) {
    if (am && bm) return 0;
    const first = spec.missing === '_first';
    return am ? (first ? -1 : 1) : first ? 1 : -1;
  }
  const c = a! < b! ? -1 : a! > b! ? 1 : 0;
  return spec.order === 'desc' ? -c : c;
}

/** Total order used for hits: sort keys, then index position, then document ordinal. */
export function compareHits(x: ShardHit, y: ShardHit, specs: SortSpec[]): number {
  for (let k = 0; k < specs.length; k++) {
    const c = compareValues(x.keys[k], y.keys[k], specs[k]);
    if (c !== 0) return c;
  }
  return x.shardIndex - y.shardIndex || x.ord - y.ord;
}

function missingValue(spec: SortSpec, ctx: ShardContext, kind: 'num' | 'str'): SortValue {
  if (spec.missing === '_last' || spec.missing === '_first' || spec.missing === undefined) return kind === 'num' ? NaN : null;
  if (kind === 'num') {
    const info = ctx.info(spec.field);
    return info?.kind === 'date' ? parseDateMath(spec.missing, info.format, false, ctx.now) : Number(spec.missing);
  }
  return String(spec.missing);
}

/** Converts a search_after value to the column domain of a sort key. */
function afterValue(v: unknown, spec: SortSpec, ctx: ShardContext, kind: 'num' | 'str'): SortValue {
  if (v === null || v === undefined) return kind === 'num' ? NaN : null;
  if (kind === 'str') return String(v);
  if (typeof v === 'number') return v;
  const info = ctx.info(spec.field);
  if (info?.kind === 'date') return parseDateMath(v, spec.format ?? info.format, false, ctx.now);
  const n = Number(v);
  if (Number.isNaN(n)) throw ctx.fail(`Failed to parse search_after value for field [${spec.field}].`, new IllegalArgumentError(`For input string: "${String(v)}"`));
  return n;
}

/**
 * Selects the top `k` candidates of one shard under the sort (after search_after, if any).
 * Default sort (no specs): _score desc.
 */
export function selectTop(ctx: ShardContext, shardIndex: number, sd: ScoredDocs, specs: SortSpec[], k: number, searchAfter?: unknown[]): ShardHit[] {
  if (specs.length === 1 && specs[0].field === '_score' && specs[0].order === 'desc') return topByScore(shardIndex, sd, k, searchAfter);
  const n = sd.length;
  const cols = specs.map((s) => keyColumn(ctx, s, sd));
  // Substitute custom missing values.
  specs.forEach((s, j) => {
    const c = cols[j].col;
    const mv = missingValue(s, ctx, c.kind);
    if (mv === null || (typeof mv === 'number' && Number.isNaN(mv))) return;
    if (c.kind === 'num') {
      for (let i = 0; i < n; i++) if (Number.isNaN(c.v[i])) c.v[i] = mv as number;
    } else for (let i = 0; i < n; i++) if (c.v[i] === null) c.v[i] = mv as string;
  });
  const val = (j: number, i: number): SortValue => cols[j].col.v[i];
  const cmp = (a: number, b: number): number => {
    for (let j = 0; j < specs.length; j++) {
      const c = compareValues(val(j, a), val(j, b), specs[j]);
      if (c !== 0) return c;
    }
    return sd.docs[a] - sd.docs[b];
  };
  let after: SortValue[] | null = null;
  if (searchAfter) after = specs.map((s, j) => afterValue(searchAfter[j], s, ctx, cols[j].col.kind));
  const passes = (i: number): boolean => {
    if (!after) return true;
    for (let j = 0; j < specs.length; j++) {
      const c = compareValues(val(j, i), after[j], specs[j]);
      if (c !== 0) return c > 0;
    }
    return false;
  };
  // Max-heap (by cmp) of the best k seen so far.
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(heap[i], heap[p]) <= 0) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && cmp(heap[l], heap[m]) > 0) m = l;
      if (r < heap.length && cmp(heap[r], heap[m]) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  if (k > 0) {
    for (let i = 0; i < n; i++) {
      if (!passes(i)) continue;
      if (heap.length < k) {
        heap.push(i);
        up(heap.length - 1);
      } else if (cmp(i, heap[0]) < 0) {
        heap[0] = i;
        down(0);
      }
    }
  }
  heap.sort(cmp);
  return heap.map((i) => ({
    shardIndex,
    ord: sd.docs[i],
    score: sd.scores[i],
    keys: specs.map((s, j) => {
      const v = val(j, i);
      return v;
    }),
  }));
}

/** The default order (_score desc, then ordinal asc) without sort-key columns: a binary heap on the scores. */
function topByScore(shardIndex: number, sd: ScoredDocs, k: number, searchAfter?: unknown[]): ShardHit[] {
  const { docs, scores } = sd;
  const after = searchAfter ? Number(searchAfter[0]) : Infinity;
  const heap = new Int32Array(Math.max(0, Math.min(k, sd.length)));
  let size = 0;
  // "worse" = lower score, or equal score and higher ordinal; the heap root is the worst kept hit.
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && docs[a] > docs[b]);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < sd.length; i++) {
    if (scores[i] >= after) continue;
    if (size < heap.length) {
      heap[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        const t = heap[c];
        heap[c] = heap[p];
        heap[p] = t;
        c = p;
      }
    } else if (size > 0 && worse(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const picked = Array.from(heap.subarray(0, size)).sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  return picked.map((i) => ({ shardIndex, ord: docs[i], score: scores[i], keys: [scores[i]] }));
}

/** Sort values as they appear in a hit's "sort" array. */
export function renderSortValues(ctx: ShardContext, specs: SortSpec[], keys: SortValue[]): SortValue[] {
  return keys.map((v, j) => {
    const s = specs[j];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return null;
    if (typeof v === 'string') return v;
    if (s.field === '_score') return shortestFloat(v);
    const info = ctx.info(s.field);
    if (info?.float32) return shortestFloat(v);
    if (info?.kind === 'date' && s.format) return formatDate(v);
    return v;
  });
}
