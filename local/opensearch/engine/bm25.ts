// Lucene's BM25 (k1 = 1.2, b = 0.75, no (k1 + 1) factor, as in Lucene 8+) over our postings, with fuzzy/prefix
// expansions scored like Lucene's blended rewrite: one idf from the largest document frequency of the expanded
// terms, each term weighted by its edit-distance boost.
import type { Bitset } from './bitset';
import type { Expansion, InvertedField } from './inverted-field';
import type { Accumulator } from './scored-docs';

export const K1 = 1.2;
export const B = 0.75;

export function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** Adds the BM25 contributions of one query term's expansions to the accumulator (current clause). */
export function scoreExpansions(inv: InvertedField, exps: Expansion[], boost: number, acc: Accumulator, live: Bitset, norms: boolean): void {
  if (exps.length === 0) return;
  let df = 0;
  for (const e of exps) if (e.postings.n > df) df = e.postings.n;
  const w0 = boost * idf(inv.docCount, df);
  const avg = inv.avgLength;
  const lengths = inv.lengths;
  const liveWords = live.words;
  const c1 = K1 * (1 - B);
  const c2 = (K1 * B) / avg;
  for (const e of exps) {
    const w = w0 * e.boost;
    const { docs, freqs, n } = e.postings;
    for (let i = 0; i < n; i++) {
      const d = docs[i];
      if ((liveWords[d >>> 5] & (1 << (d & 31))) === 0) continue;
      const tf = freqs[i];
      const norm = norms ? c1 + c2 * lengths[d] : K1;
      acc.add(d, (w * tf) / (tf + norm));
    }
  }
}
