// Base classes of executable queries: each can produce scored matches (query context) or a bitset (filter
// context), and report the terms it would highlight per field.
import type { Bitset } from '../../engine/bitset';
import type { ScoredDocs } from '../../engine/scored-docs';
import { ShardContext, bitsToScored, scoredToBits } from '../context';

export type HighlightTerms = Map<string, Set<string>>;

export function addHighlight(out: HighlightTerms, field: string, term: string): void {
  let s = out.get(field);
  if (!s) out.set(field, (s = new Set()));
  s.add(term);
}

export abstract class Query {
  boost = 1;
  queryName?: string;
  abstract score(ctx: ShardContext): ScoredDocs;
  filter(ctx: ShardContext): Bitset {
    return scoredToBits(this.score(ctx), ctx.live.size);
  }
  highlightTerms(_ctx: ShardContext, _out: HighlightTerms): void {}
  /**
   * A per-document test over doc values, for queries that otherwise scan every document (ranges, numeric terms).
   * Conjunctions use it to check only the candidates of a more selective clause. null = not available.
   */
  matcher(_ctx: ShardContext): ((doc: number) => boolean) | null {
    return null;
  }
}

/** Clears the bits of `bits` whose documents fail `test` (cost: one test per set bit). */
export function refine(bits: Bitset, test: (doc: number) => boolean): Bitset {
  const w = bits.words;
  for (let i = 0; i < w.length; i++) {
    let v = w[i];
    while (v !== 0) {
      const t = v & -v;
      const d = (i << 5) + (31 - Math.clz32(t));
      if (!test(d)) w[i] &= ~t;
      v ^= t;
    }
  }
  return bits;
}

/** A query whose matches all score the same (its boost), computed as a bitset. */
export abstract class ConstantQuery extends Query {
  abstract override filter(ctx: ShardContext): Bitset;
  score(ctx: ShardContext): ScoredDocs {
    return bitsToScored(this.filter(ctx), this.boost);
  }
}
