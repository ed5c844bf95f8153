// What a query needs while executing on one index ("shard" in OpenSearch terms): the engine, the documents
// visible to this search (refreshed, optionally restricted by routing), and helpers between bitsets and scores.
import { OpenSearchError, QueryShardError } from '../errors';
import { Bitset } from '../engine/bitset';
import type { FieldIndex } from '../engine/fields';
import type { IndexEngine } from '../engine/index-engine';
import type { ScoredDocs } from '../engine/scored-docs';
import type { FieldInfo } from '../mapping/types';

export class ShardContext {
  /** Upper bound (exclusive) of ordinals to scan. */
  readonly maxOrd: number;
  constructor(
    readonly engine: IndexEngine,
    readonly live: Bitset,
    readonly now: number,
  ) {
    this.maxOrd = Math.min(engine.maxOrd, live.size);
  }

  get index(): string {
    return this.engine.name;
  }

  info(field: string): FieldInfo | undefined {
    return this.engine.mapping.fields.get(field);
  }

  field(path: string): FieldIndex | undefined {
    return this.engine.field(path);
  }

  /** query_shard_exception for this index (wrapped in search_phase_execution_exception by the search API). */
  fail(reason: string, cause?: OpenSearchError): QueryShardError {
    return new QueryShardError(reason, this.engine.name, this.engine.uuid, cause);
  }

  emptyBits(): Bitset {
    return new Bitset(this.live.size);
  }

  allBits(): Bitset {
    return this.live.copy();
  }

  /** Resolves field patterns (name*, *.keyword) against the mapping. */
  resolveFields(pattern: string): string[] {
    if (!pattern.includes('*')) return [pattern];
    const rx = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    const out: string[] = [];
    for (const [path, info] of this.engine.mapping.fields) {
      if (rx.test(path) && (info.kind === 'text' || info.kind === 'keyword' || pattern !== '*')) out.push(path);
    }
    return out;
  }
}

export function bitsToScored(bits: Bitset, score: number): ScoredDocs {
  const docs = bits.toArray();
  const scores = new Float64Array(docs.length).fill(score);
  return { docs, scores, length: docs.length };
}

export function scoredToBits(sd: ScoredDocs, size: number): Bitset {
  const b = new Bitset(size);
  for (let i = 0; i < sd.length; i++) b.set(sd.docs[i]);
  return b;
}
