// Full-text queries: match (operator, minimum_should_match, fuzziness), match_phrase (slop), match_phrase_prefix,
// match_bool_prefix and multi_match (best_fields, most_fields, cross_fields, phrase, phrase_prefix, bool_prefix).
// Each query term is scored with BM25 (native backend) or MiniSearch (alternative backend) and clauses are summed.
import type { Bitset } from '../../engine/bitset';
import { idf, scoreExpansions, K1, B } from '../../engine/bm25';
import type { KeywordField, TextField } from '../../engine/fields';
import type { Expansion } from '../../engine/inverted-field';
import { EMPTY, ScoredDocs } from '../../engine/scored-docs';
import type { FieldInfo } from '../../mapping/types';
import type { ShardContext } from '../context';
import { HighlightTerms, Query, addHighlight } from './base';
import { DisMaxQuery, SumQuery } from './compound';
import { minShouldMatch } from './min-should-match';
import { MatchAllQuery, TermQuery, resolveFuzziness } from './term-level';

export interface MatchOptions {
  operator?: 'or' | 'and';
  minimumShouldMatch?: unknown;
  fuzziness?: unknown;
  prefixLength?: number;
  maxExpansions?: number;
  transpositions?: boolean;
  analyzer?: string;
  zeroTermsQuery?: 'none' | 'all';
  lenient?: boolean;
  /** The last term is a prefix (match_bool_prefix / bool_prefix). */
  lastPrefix?: boolean;
}

function analyze(ctx: ShardContext, info: FieldInfo, text: string, analyzerName?: string): string[] {
  const a = (analyzerName && ctx.engine.analysis.analyzer(analyzerName)) || info.searchAnalyzer || info.analyzer!;
  return a.terms(text);
}

function isInverted(f: unknown): f is TextField | KeywordField {
  return !!f && ((f as TextField).kind === 'text' || (f as KeywordField).kind === 'keyword');
}

/** Terms of a text query on one field: analysed for text fields, the (normalised) whole value for keywords. */
function queryTerms(ctx: ShardContext, info: FieldInfo, text: string, analyzer?: string): string[] {
  if (info.kind === 'text') return analyze(ctx, info, text, analyzer);
  const s = info.normalizer ? info.normalizer(text) : text;
  return [s];
}

export class MatchQuery extends Query {
  constructor(
    readonly field: string,
    readonly text: unknown,
    readonly o: MatchOptions = {},
  ) {
    super();
  }

  private expansionsFor(f: TextField | KeywordField, term: string, last: boolean): Expansion[] {
    const o = this.o;
    return f.inv.expand({
      term,
      fuzziness: resolveFuzziness(o.fuzziness, term),
      prefixLength: o.prefixLength ?? 0,
      maxExpansions: o.maxExpansions ?? 50,
      transpositions: o.transpositions ?? true,
      prefix: last && o.lastPrefix,
    });
  }

  score(ctx: ShardContext): ScoredDocs {
    const info = ctx.info(this.field);
    if (!info) return EMPTY;
    if (info.kind === 'number' || info.kind === 'date' || info.kind === 'boolean') {
      const tq = new TermQuery(this.field, this.text);
      tq.boost = this.boost;
      if (this.o.lenient) {
        try {
          return tq.score(ctx);
        } catch {
          return EMPTY;
        }
      }
      return tq.score(ctx);
    }
    const f = ctx.field(this.field);
    const terms = [...new Set(queryTerms(ctx, info, String(this.text), this.o.analyzer))];
    if (terms.length === 0) return this.o.zeroTermsQuery === 'all' ? new MatchAllQuery().score(ctx) : EMPTY;
    if (!isInverted(f)) return EMPTY;
    const acc = ctx.engine.pool.acquire();
    try {
      const ms = f.kind === 'text' && ctx.engine.textBackend === 'minisearch' ? f.ms : undefined;
      for (let i = 0; i < terms.length; i++) {
        acc.nextClause();
        const last = i === terms.length - 1;
        if (ms && !(last && this.o.lastPrefix)) {
          const t = terms[i];
          ms.scoreTerm({ term: t, fuzziness: resolveFuzziness(this.o.fuzziness, t), prefixLength: 0, maxExpansions: 50, transpositions: true }, this.boost, acc, ctx.live);
        } else scoreExpansions(f.inv, this.expansionsFor(f, terms[i], last), this.boost, acc, ctx.live, f.kind === 'text');
      }
      const n = terms.length;
      const need = this.o.operator === 'and' ? n : this.o.minimumShouldMatch !== undefined ? minShouldMatch(n, this.o.minimumShouldMatch) : 1;
      if (need > n) return EMPTY;
      return acc.collect(Math.max(1, need));
    } finally {
      ctx.engine.pool.release(acc);
    }
  }

  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !isInverted(f)) return;
    const terms = queryTerms(ctx, info, String(this.text), this.o.analyzer);
    terms.forEach((t, i) => {
      for (const e of this.expansionsFor(f, t, i === terms.length - 1)) addHighlight(out, this.field, e.postings.term);
    });
  }
}

/** match_phrase and match_phrase_prefix: consecutive terms (within slop), scored with summed idf and phrase freq. */
export class PhraseQuery extends Query {
  constructor(
    readonly field: string,
    readonly text: unknown,
    readonly slop = 0,
    readonly prefix = false,
    readonly maxExpansions = 50,
    readonly analyzer?: string,
    readonly zeroTermsQuery: 'none' | 'all' = 'none',
  ) {
    super();
  }

  /** Per position, the accepted dictionary term ids (more than one for the prefix position). */
  private positionsSets(ctx: ShardContext, f: TextField | KeywordField, terms: string[]): { sets: Set<number>[]; exps: Expansion[][] } | null {
    const sets: Set<number>[] = [];
    const exps: Expansion[][] = [];
    for (let i = 0; i < terms.length; i++) {
      const last = i === terms.length - 1;
      const e = f.inv.expand({ term: terms[i], fuzziness: 0, prefixLength: 0, maxExpansions: this.maxExpansions, transpositions: false, prefix: last && this.prefix });
      if (e.length === 0) return null;
      exps.push(e);
      sets.push(new Set(e.map((x) => x.postings.id)));
    }
    return { sets, exps };
  }

  score(ctx: ShardContext): ScoredDocs {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info) return EMPTY;
    if (info.kind !== 'text') {
      if (this.prefix && isInverted(f)) return new MatchQuery(this.field, this.text, { lastPrefix: true, maxExpansions: this.maxExpansions }).score(ctx);
      const tq = new TermQuery(this.field, this.text);
      tq.boost = this.boost;
      return tq.score(ctx);
    }
    const terms = analyze(ctx, info, String(this.text), this.analyzer);
    if (terms.length === 0) return this.zeroTermsQuery === 'all' ? new MatchAllQuery().score(ctx) : EMPTY;
    if (!isInverted(f)) return EMPTY;
    if (terms.length === 1 && !this.prefix) {
      const m = new MatchQuery(this.field, terms[0]);
      m.boost = this.boost;
      return m.score(ctx);
    }
    const ps = this.positionsSets(ctx, f, terms);
    if (!ps) return EMPTY;
    // Candidates: documents having a term of every position.
    const acc = ctx.engine.pool.acquire();
    let cand: ScoredDocs;
    try {
      for (const e of ps.exps) {
        acc.nextClause();
        for (const x of e) {
          const p = x.postings;
          for (let i = 0; i < p.n; i++) if (ctx.live.has(p.docs[i])) acc.add(p.docs[i], 0);
        }
      }
      cand = acc.collect(ps.exps.length);
    } finally {
      ctx.engine.pool.release(acc);
    }
    let sumIdf = 0;
    for (const e of ps.exps) sumIdf += idf(f.inv.docCount, Math.max(...e.map((x) => x.postings.n)));
    const avg = f.inv.avgLength;
    const docs = new Int32Array(cand.length);
    const scores = new Float64Array(cand.length);
    let k = 0;
    for (let i = 0; i < cand.length; i++) {
      const d = cand.docs[i];
      const pos = f.inv.positions[d];
      if (!pos) continue;
      const freq = phraseFreq(pos, ps.sets, this.slop);
      if (freq <= 0) continue;
      const norm = K1 * (1 - B + (B * f.inv.length(d)) / avg);
      docs[k] = d;
      scores[k++] = (this.boost * sumIdf * freq) / (freq + norm);
    }
    return { docs, scores, length: k };
  }

  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    const info = ctx.info(this.field);
    const f = ctx.field(this.field);
    if (!info || !isInverted(f)) return;
    const terms = info.kind === 'text' ? analyze(ctx, info, String(this.text), this.analyzer) : [String(this.text)];
    const ps = this.positionsSets(ctx, f, terms);
    if (ps) for (const e of ps.exps) for (const x of e) addHighlight(out, this.field, x.postings.term);
  }
}

/** Phrase frequency: exact matches count 1, sloppy ones 1 / (distance + 1) like Lucene's sloppy phrase scorer. */
export function phraseFreq(pos: Int32Array, sets: Set<number>[], slop: number): number {
  const k = sets.length;
  let freq = 0;
  for (let i = 0; i + (slop === 0 ? k : 1) <= pos.length; i++) {
    if (!sets[0].has(pos[i])) continue;
    if (slop === 0) {
      let ok = true;
      for (let j = 1; j < k; j++) {
        if (!sets[j].has(pos[i + j])) {
          ok = false;
          break;
        }
      }
      if (ok) freq++;
      continue;
    }
    let prev = i;
    let dist = 0;
    let ok = true;
    for (let j = 1; j < k && ok; j++) {
      let q = prev + 1;
      while (q < pos.length && q - (prev + 1) + dist <= slop && !sets[j].has(pos[q])) q++;
      if (q >= pos.length || !sets[j].has(pos[q]) || pos[q] === -1) ok = false;
      else {
        dist += q - (prev + 1);
        prev = q;
      }
    }
    if (ok && dist <= slop) freq += 1 / (dist + 1);
  }
  return freq;
}

export type MultiMatchType = 'best_fields' | 'most_fields' | 'cross_fields' | 'phrase' | 'phrase_prefix' | 'bool_prefix';

/** multi_match: the per-field queries are built at execution time (field patterns resolve per index). */
export class MultiMatchQuery extends Query {
  constructor(
    readonly fields: string[],
    readonly text: unknown,
    readonly type: MultiMatchType,
    readonly tieBreaker: number | undefined,
    readonly o: MatchOptions & { slop?: number },
  ) {
    super();
  }

  private fieldBoosts(ctx: ShardContext): { field: string; boost: number; lenient: boolean }[] {
    const specs = this.fields.length ? this.fields : [String(ctx.engine.settings['index.query.default_field'] ?? '*')];
    const out: { field: string; boost: number; lenient: boolean }[] = [];
    for (const spec of specs) {
      const [pattern, b] = spec.split('^');
      const boost = b !== undefined ? Number(b) : 1;
      const wildcard = pattern.includes('*');
      for (const field of ctx.resolveFields(pattern)) {
        const info = ctx.info(field);
        if (!info) continue;
        if (wildcard && info.kind !== 'text' && info.kind !== 'keyword') continue;
        out.push({ field, boost, lenient: wildcard || !!this.o.lenient });
      }
    }
    return out;
  }

  build(ctx: ShardContext): Query {
    const fb = this.fieldBoosts(ctx);
    const per = (field: string, boost: number, lenient: boolean): Query => {
      let q: Query;
      switch (this.type) {
        case 'phrase':
          q = new PhraseQuery(field, this.text, this.o.slop ?? 0, false, 50, this.o.analyzer);
          break;
        case 'phrase_prefix':
          q = new PhraseQuery(field, this.text, this.o.slop ?? 0, true, this.o.maxExpansions ?? 50, this.o.analyzer);
          break;
        case 'bool_prefix':
          q = new MatchQuery(field, this.text, { ...this.o, lenient, lastPrefix: true });
          break;
        default:
          q = new MatchQuery(field, this.text, { ...this.o, lenient });
      }
      q.boost = boost * this.boost;
      return q;
    };
    if (this.type === 'cross_fields') return this.crossFields(ctx, fb);
    const qs = fb.map((x) => per(x.field, x.boost, x.lenient));
    if (this.type === 'most_fields') return new SumQuery(qs);
    return new DisMaxQuery(qs, this.tieBreaker ?? 0);
  }

  /** cross_fields: term-centric; each term is a dis_max over the fields, then operator/msm across terms. */
  private crossFields(ctx: ShardContext, fb: { field: string; boost: number; lenient: boolean }[]): Query {
    const text = String(this.text);
    const allTerms = new Set<string>();
    for (const x of fb) {
      const info = ctx.info(x.field);
      if (info) for (const t of queryTerms(ctx, info, text, this.o.analyzer)) allTerms.add(t);
    }
    const termQs = [...allTerms].map((t) => {
      const qs = fb.map((x) => {
        const q = new MatchQuery(x.field, t, { fuzziness: this.o.fuzziness, prefixLength: this.o.prefixLength, lenient: true });
        q.boost = x.boost * this.boost;
        return q;
      });
      return new DisMaxQuery(qs, this.tieBreaker ?? 0);
    });
    const need = this.o.operator === 'and' ? termQs.length : this.o.minimumShouldMatch !== undefined ? minShouldMatch(termQs.length, this.o.minimumShouldMatch) : 1;
    return new SumQuery(termQs, Math.max(1, need));
  }

  score(ctx: ShardContext): ScoredDocs {
    return this.build(ctx).score(ctx);
  }
  override filter(ctx: ShardContext): Bitset {
    return this.build(ctx).filter(ctx);
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    this.build(ctx).highlightTerms(ctx, out);
  }
}
