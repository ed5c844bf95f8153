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
}

/** A query whose matches all score the same (its boost), computed as a bitset. */
export abstract class ConstantQuery extends Query {
  abstract override filter(ctx: ShardContext): Bitset;
  score(ctx: ShardContext): ScoredDocs {
    return bitsToScored(this.filter(ctx), this.boost);
  }
}
