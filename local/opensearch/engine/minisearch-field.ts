// The alternative text backend measured by bench/opensearch.bench.ts: one MiniSearch instance per text field,
// scoring each query term with MiniSearch's own search() (BM25+ with d = 0, k = 1.2, b = 0.75, its fuzzy and
// prefix weighting). It is selectable with `textBackend: 'minisearch'` so both run the same query set; the default
// backend is the native one (see engine/index-engine.ts for the measured reasons).
import MiniSearch from 'minisearch';
import type { Bitset } from './bitset';
import type { ExpandSpec } from './inverted-field';
import type { Accumulator } from './scored-docs';

interface MsDoc {
  id: number;
  v: string;
}

// MiniSearch calls toString() on field values before tokenizing: analysed terms travel joined by a separator
// that no analysed term contains here.
const SEP = '\u0001';

export class MiniSearchField {
  private readonly ms: MiniSearch<MsDoc>;
  constructor() {
    this.ms = new MiniSearch<MsDoc>({
      fields: ['v'],
      idField: 'id',
      // Values are pre-analysed by our analyzers; MiniSearch must not re-tokenize them.
      tokenize: (v) => v.split(SEP),
      processTerm: (t) => t,
      searchOptions: { bm25: { k: 1.2, b: 0.75, d: 0 }, tokenize: (s) => [s], processTerm: (t) => t },
    });
  }

  add(ord: number, terms: (string | null)[]): void {
    if (terms.length) this.ms.add({ id: ord, v: terms.filter((t): t is string => t !== null).join(SEP) });
  }

  discard(ord: number): void {
    if (this.ms.has(ord)) this.ms.discard(ord);
  }

  /** Scores one query term through MiniSearch; scores divided by (k + 1) to be on Lucene's scale. */
  scoreTerm(spec: ExpandSpec, boost: number, acc: Accumulator, live: Bitset): void {
    const res = this.ms.search(spec.term, {
      fuzzy: spec.fuzziness > 0 ? spec.fuzziness : false,
      prefix: spec.prefix === true,
      maxFuzzy: 2,
    });
    const w = boost / 2.2;
    for (const r of res) {
      const d = r.id as number;
      if (live.has(d)) acc.add(d, r.score * w);
    }
  }
}
