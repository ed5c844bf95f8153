// Column-oriented per-document values for sorting, range filters and aggregations (OpenSearch's doc values):
// numbers (numeric, date as epoch ms, boolean as 0/1) in a Float64Array with NaN for missing, keywords as term
// ids into the field's dictionary. Multi-valued documents keep their extra values in a side map.
import { grow } from './bitset';

export class NumericDocValues {
  values = new Float64Array(16).fill(NaN);
  readonly multi = new Map<number, Float64Array>();

  add(ord: number, vals: number[]): void {
    if (vals.length === 0) return;
    if (ord >= this.values.length) {
      const old = this.values.length;
      this.values = grow(this.values, ord + 1);
      this.values.fill(NaN, old);
    }
    this.values[ord] = vals[0];
    if (vals.length > 1) this.multi.set(ord, Float64Array.from(vals));
  }

  has(ord: number): boolean {
    return ord < this.values.length && !Number.isNaN(this.values[ord]);
  }

  /** First value, NaN when missing. */
  first(ord: number): number {
    return ord < this.values.length ? this.values[ord] : NaN;
  }

  /** All values (callers that need multi-valued semantics). */
  all(ord: number): ArrayLike<number> {
    const m = this.multi.get(ord);
    if (m) return m;
    const v = this.first(ord);
    return Number.isNaN(v) ? [] : [v];
  }

  /** Sort key under a sort mode: min (asc default) or max (desc default), sum, avg, median. */
  sortValue(ord: number, mode: string): number {
    const m = this.multi.get(ord);
    if (!m) return this.first(ord);
    let r: number;
    switch (mode) {
      case 'max':
        r = -Infinity;
        for (const v of m) if (v > r) r = v;
        return r;
      case 'sum':
        r = 0;
        for (const v of m) r += v;
        return r;
      case 'avg':
        r = 0;
        for (const v of m) r += v;
        return r / m.length;
      case 'median': {
        const s = Array.from(m).sort((a, b) => a - b);
        const mid = s.length >> 1;
        return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
      }
      default:
        r = Infinity;
        for (const v of m) if (v < r) r = v;
        return r;
    }
  }
}

/** Keyword doc values: term id + 1 per document (0 = missing) into the field's InvertedField dictionary. */
export class OrdinalDocValues {
  ords = new Int32Array(16);
  readonly multi = new Map<number, Int32Array>();

  add(ord: number, termIds: number[]): void {
    if (termIds.length === 0) return;
    this.ords = grow(this.ords, ord + 1);
    if (termIds.length > 1) {
      const uniq = Int32Array.from(new Set(termIds));
      this.multi.set(ord, uniq);
    }
    this.ords[ord] = termIds[0] + 1;
  }

  has(ord: number): boolean {
    return ord < this.ords.length && this.ords[ord] !== 0;
  }

  /** Term ids of a document (empty when missing). */
  all(ord: number): ArrayLike<number> {
    const m = this.multi.get(ord);
    if (m) return m;
    const v = ord < this.ords.length ? this.ords[ord] : 0;
    return v === 0 ? [] : [v - 1];
  }
}
