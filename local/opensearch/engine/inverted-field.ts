// Inverted index of one field (text tokens or keyword values): a term dictionary with postings (doc ordinals and
// term frequencies in typed arrays), field lengths for BM25, and per-document term sequences for phrase queries.
//
// The term dictionary is MiniSearch's SearchableMap (a radix tree): it gives exact lookup, prefix enumeration and
// Levenshtein-bounded fuzzy expansion, proven code we do not rewrite. Postings and scoring are ours: see the
// comment at the top of engine/index-engine.ts for why MiniSearch's own scoring is not used underneath.
import SearchableMap from 'minisearch/SearchableMap';
import { grow } from './bitset';

export class TermPostings {
  docs = new Int32Array(2);
  freqs = new Uint16Array(2);
  n = 0;
  constructor(
    readonly id: number,
    readonly term: string,
  ) {}
  add(ord: number): void {
    const n = this.n;
    if (n > 0 && this.docs[n - 1] === ord) {
      if (this.freqs[n - 1] < 65535) this.freqs[n - 1]++;
      return;
    }
    if (n === this.docs.length) {
      this.docs = grow(this.docs, n + 1);
      this.freqs = grow(this.freqs, n + 1);
    }
    this.docs[n] = ord;
    this.freqs[n] = 1;
    this.n = n + 1;
  }
}

/** A term expanded from a query term, with Lucene's fuzzy boost (1 - edits / min length). */
export interface Expansion {
  postings: TermPostings;
  boost: number;
  distance: number;
}

export interface ExpandSpec {
  term: string;
  fuzziness: number;
  prefixLength: number;
  maxExpansions: number;
  transpositions: boolean;
  prefix?: boolean;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), bounded. */
export function osaDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

export class InvertedField {
  /** Radix tree over the terms, for prefix and fuzzy expansion. */
  readonly dict = new SearchableMap<TermPostings>();
  /** Exact lookups (indexing, term queries) go through a hash map: faster than walking the radix tree. */
  private readonly exact = new Map<string, TermPostings>();
  readonly byId: TermPostings[] = [];
  /** Number of tokens per document (0 = field absent). */
  lengths = new Uint32Array(16);
  /** Term ids per position, for phrase matching (text fields only). */
  readonly positions: (Int32Array | undefined)[] = [];
  docCount = 0;
  sumLength = 0;

  constructor(readonly withPositions: boolean) {}

  /**
   * Indexes one document's tokens (already analysed); `null` entries in `terms` are gaps between
   * array values (a position of -1). Any string is a term, "\u0000" included: a keyword value
   * may be anything a client sends.
   */
  add(ord: number, terms: (string | null)[]): void {
    if (terms.length === 0) return;
    this.lengths = grow(this.lengths, ord + 1);
    let len = 0;
    const pos = this.withPositions ? new Int32Array(terms.length) : undefined;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i];
      if (t === null) {
        if (pos) pos[i] = -1;
        continue;
      }
      let p = this.exact.get(t);
      if (p === undefined) {
        p = new TermPostings(this.byId.length, t);
        this.byId.push(p);
        this.exact.set(t, p);
        this.dict.set(t, p);
      }
      p.add(ord);
      if (pos) pos[i] = p.id;
      len++;
    }
    if (len === 0) return;
    this.lengths[ord] = len;
    if (pos) this.positions[ord] = pos;
    this.docCount++;
    this.sumLength += len;
  }

  get avgLength(): number {
    return this.docCount === 0 ? 1 : this.sumLength / this.docCount;
  }

  length(ord: number): number {
    return ord < this.lengths.length ? this.lengths[ord] : 0;
  }

  get(term: string): TermPostings | undefined {
    return this.exact.get(term);
  }

  /** Expands a query term to dictionary terms: exact, fuzzy (max edits, prefix_length, max_expansions) or prefix. */
  expand(spec: ExpandSpec): Expansion[] {
    const { term } = spec;
    if (spec.prefix) {
      const out: Expansion[] = [];
      for (const [t, p] of this.dict.atPrefix(term)) {
        out.push({ postings: p, boost: 1, distance: t.length - term.length });
        if (out.length >= spec.maxExpansions) break;
      }
      return out;
    }
    if (spec.fuzziness <= 0) {
      const p = this.exact.get(term);
      return p ? [{ postings: p, boost: 1, distance: 0 }] : [];
    }
    const d = spec.fuzziness;
    const search = spec.transpositions && d === 1 && term.length >= 2 ? 2 : d;
    const found = this.dict.fuzzyGet(term, search);
    const cands: Expansion[] = [];
    const prefix = term.slice(0, spec.prefixLength);
    for (const [t, [p, dist0]] of found) {
      if (spec.prefixLength > 0 && !t.startsWith(prefix)) continue;
      let dist = dist0;
      if (dist > d) {
        dist = osaDistance(term, t, d);
        if (dist > d) continue;
      }
      const minLen = Math.min(t.length, term.length);
      cands.push({ postings: p, boost: dist === 0 ? 1 : Math.max(0, 1 - dist / minLen), distance: dist });
    }
    cands.sort((a, b) => b.boost - a.boost || (a.postings.term < b.postings.term ? -1 : 1));
    if (cands.length > spec.maxExpansions) cands.length = spec.maxExpansions;
    return cands;
  }
}
