// Compound queries: bool (must/should/filter/must_not, minimum_should_match), dis_max, constant_score, boosting,
// function_score (weight, field_value_factor, filter functions), plus SumQuery used by multi_match.
import { Bitset } from '../../engine/bitset';
import type { NumericField } from '../../engine/fields';
import { EMPTY, ScoredDocs } from '../../engine/scored-docs';
import type { ShardContext } from '../context';
import { HighlightTerms, Query, refine } from './base';
import { minShouldMatch } from './min-should-match';

export class BoolQuery extends Query {
  constructor(
    readonly must: Query[],
    readonly should: Query[],
    readonly filterClauses: Query[],
    readonly mustNot: Query[],
    readonly msm?: unknown,
  ) {
    super();
  }

  private requiredShould(): number {
    if (this.should.length === 0) return 0;
    if (this.msm !== undefined) return minShouldMatch(this.should.length, this.msm);
    return this.must.length === 0 && this.filterClauses.length === 0 ? 1 : 0;
  }

  /**
   * AND of the given clauses: clauses that can only be answered by scanning (ranges, numeric terms) are checked
   * per candidate of the other clauses when those are selective, instead of scanning every document.
   */
  private conjunction(ctx: ShardContext, clauses: Query[]): Bitset | null {
    let bits: Bitset | null = null;
    const deferred: ((d: number) => boolean)[] = [];
    for (const q of clauses) {
      const m = q.matcher(ctx);
      if (m) deferred.push(m);
      else {
        const b = q.filter(ctx);
        bits = bits ? bits.and(b) : b;
      }
    }
    if (deferred.length === 0) return bits;
    if (bits === null || bits.count() > ctx.maxOrd / 4) {
      // Not selective enough: evaluate the first deferred clause as a scan, test the rest per candidate.
      const first = clauses.find((q) => q.matcher(ctx) !== null)!;
      const b = first.filter(ctx);
      bits = bits ? bits.and(b) : b;
      deferred.shift();
    }
    if (deferred.length === 0) return bits;
    return refine(bits, deferred.length === 1 ? deferred[0] : (d) => deferred.every((m) => m(d)));
  }

  /** AND of filter clauses minus must_not clauses; null when there are none. */
  private filterBits(ctx: ShardContext): Bitset | null {
    let bits: Bitset | null = this.conjunction(ctx, this.filterClauses);
    if (this.mustNot.length) {
      if (!bits) bits = ctx.allBits();
      for (const q of this.mustNot) bits.andNot(q.filter(ctx));
    }
    return bits;
  }

  score(ctx: ShardContext): ScoredDocs {
    const nMust = this.must.length;
    const nShould = this.should.length;
    const fbits = this.filterBits(ctx);
    if (nMust === 0 && nShould === 0) {
      if (!fbits) return new ConstantScoreQuery(new MatchAll(), this.boost).score(ctx); // empty bool = match_all
      const docs = fbits.toArray();
      return { docs, scores: new Float64Array(docs.length), length: docs.length };
    }
    const need = this.requiredShould();
    if (need > nShould) return EMPTY;
    const pool = ctx.engine.pool;
    const shouldAcc = nShould ? pool.acquire() : null;
    try {
      if (shouldAcc) {
        for (const q of this.should) {
          const sd = q.score(ctx);
          shouldAcc.nextClause();
          for (let i = 0; i < sd.length; i++) shouldAcc.add(sd.docs[i], sd.scores[i]);
        }
      }
      let base: ScoredDocs;
      if (nMust) {
        const acc = pool.acquire();
        try {
          for (const q of this.must) {
            const sd = q.score(ctx);
            if (sd.length === 0) return EMPTY;
            acc.nextClause();
            for (let i = 0; i < sd.length; i++) acc.add(sd.docs[i], sd.scores[i]);
          }
          base = acc.collect(nMust);
        } finally {
          pool.release(acc);
        }
      } else if (need > 0) {
        base = shouldAcc!.collect(need);
        return this.finish(base, fbits, null, 0);
      } else {
        const docs = fbits ? fbits.toArray() : ctx.allBits().toArray();
        base = { docs, scores: new Float64Array(docs.length), length: docs.length };
      }
      return this.finish(base, fbits, shouldAcc, need);
    } finally {
      if (shouldAcc) pool.release(shouldAcc);
    }
  }

  private finish(base: ScoredDocs, fbits: Bitset | null, shouldAcc: ReturnType<ShardContext['engine']['pool']['acquire']> | null, need: number): ScoredDocs {
    const docs = new Int32Array(base.length);
    const scores = new Float64Array(base.length);
    let k = 0;
    for (let i = 0; i < base.length; i++) {
      const d = base.docs[i];
      if (fbits && !fbits.has(d)) continue;
      let s = base.scores[i];
      if (shouldAcc) {
        if (shouldAcc.has(d)) {
          if (shouldAcc.counts[d] < need) continue;
          s += shouldAcc.scores[d];
        } else if (need > 0) continue;
      }
      docs[k] = d;
      scores[k++] = s * this.boost;
    }
    return { docs, scores, length: k };
  }

  override filter(ctx: ShardContext): Bitset {
    const need = this.requiredShould();
    if (need > 1) return super.filter(ctx);
    let bits = this.conjunction(ctx, [...this.filterClauses, ...this.must]);
    if (this.mustNot.length) {
      if (!bits) bits = ctx.allBits();
      for (const q of this.mustNot) bits.andNot(q.filter(ctx));
    }
    if (need === 1) {
      const any = ctx.emptyBits();
      for (const q of this.should) any.or(q.filter(ctx));
      bits = bits ? bits.and(any) : any;
    }
    return bits ?? ctx.allBits();
  }

  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    for (const q of [...this.must, ...this.should, ...this.filterClauses]) q.highlightTerms(ctx, out);
  }
}

class MatchAll extends Query {
  score(ctx: ShardContext): ScoredDocs {
    const docs = ctx.allBits().toArray();
    return { docs, scores: new Float64Array(docs.length).fill(1), length: docs.length };
  }
  override filter(ctx: ShardContext): Bitset {
    return ctx.allBits();
  }
}

/** Sum of clause scores; documents must match at least `minMatch` clauses. */
export class SumQuery extends Query {
  constructor(
    readonly queries: Query[],
    readonly minMatch = 1,
  ) {
    super();
  }
  score(ctx: ShardContext): ScoredDocs {
    if (this.queries.length === 0) return EMPTY;
    const acc = ctx.engine.pool.acquire();
    try {
      for (const q of this.queries) {
        const sd = q.score(ctx);
        acc.nextClause();
        for (let i = 0; i < sd.length; i++) acc.add(sd.docs[i], sd.scores[i] * this.boost);
      }
      return acc.collect(this.minMatch);
    } finally {
      ctx.engine.pool.release(acc);
    }
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    for (const q of this.queries) q.highlightTerms(ctx, out);
  }
}

export class DisMaxQuery extends Query {
  constructor(
    readonly queries: Query[],
    readonly tieBreaker = 0,
  ) {
    super();
  }
  score(ctx: ShardContext): ScoredDocs {
    if (this.queries.length === 0) return EMPTY;
    if (this.queries.length === 1) {
      const sd = this.queries[0].score(ctx);
      if (this.boost !== 1) for (let i = 0; i < sd.length; i++) sd.scores[i] *= this.boost;
      return sd;
    }
    const pool = ctx.engine.pool;
    const sum = pool.acquire();
    const max = pool.acquire();
    try {
      for (const q of this.queries) {
        const sd = q.score(ctx);
        sum.nextClause();
        max.nextClause();
        for (let i = 0; i < sd.length; i++) {
          sum.add(sd.docs[i], sd.scores[i]);
          max.max(sd.docs[i], sd.scores[i]);
        }
      }
      const out = max.collect(1);
      for (let i = 0; i < out.length; i++) {
        const d = out.docs[i];
        const m = out.scores[i];
        out.scores[i] = (m + this.tieBreaker * (sum.scores[d] - m)) * this.boost;
      }
      return out;
    } finally {
      pool.release(sum);
      pool.release(max);
    }
  }
  override filter(ctx: ShardContext): Bitset {
    const bits = ctx.emptyBits();
    for (const q of this.queries) bits.or(q.filter(ctx));
    return bits;
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    for (const q of this.queries) q.highlightTerms(ctx, out);
  }
}

export class ConstantScoreQuery extends Query {
  constructor(
    readonly inner: Query,
    boost = 1,
  ) {
    super();
    this.boost = boost;
  }
  score(ctx: ShardContext): ScoredDocs {
    const docs = this.inner.filter(ctx).toArray();
    return { docs, scores: new Float64Array(docs.length).fill(this.boost), length: docs.length };
  }
  override filter(ctx: ShardContext): Bitset {
    return this.inner.filter(ctx);
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    this.inner.highlightTerms(ctx, out);
  }
}

export class BoostingQuery extends Query {
  constructor(
    readonly positive: Query,
    readonly negative: Query,
    readonly negativeBoost: number,
  ) {
    super();
  }
  score(ctx: ShardContext): ScoredDocs {
    const sd = this.positive.score(ctx);
    const neg = this.negative.filter(ctx);
    for (let i = 0; i < sd.length; i++) {
      sd.scores[i] *= this.boost;
      if (neg.has(sd.docs[i])) sd.scores[i] *= this.negativeBoost;
    }
    return sd;
  }
  override filter(ctx: ShardContext): Bitset {
    return this.positive.filter(ctx);
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    this.positive.highlightTerms(ctx, out);
  }
}

export interface ScoreFunction {
  filter?: Query;
  weight?: number;
  fieldValueFactor?: { field: string; factor: number; modifier: string; missing?: number };
}

const MODIFIERS: Record<string, (v: number) => number> = {
  none: (v) => v,
  log: (v) => Math.log10(v),
  log1p: (v) => Math.log10(v + 1),
  log2p: (v) => Math.log10(v + 2),
  ln: (v) => Math.log(v),
  ln1p: (v) => Math.log1p(v),
  ln2p: (v) => Math.log(v + 2),
  square: (v) => v * v,
  sqrt: (v) => Math.sqrt(v),
  reciprocal: (v) => 1 / v,
};

export class FunctionScoreQuery extends Query {
  constructor(
    readonly inner: Query,
    readonly functions: ScoreFunction[],
    readonly scoreMode: string,
    readonly boostMode: string,
    readonly maxBoost: number,
    readonly minScore?: number,
  ) {
    super();
  }
  score(ctx: ShardContext): ScoredDocs {
    const sd = this.inner.score(ctx);
    const filters = this.functions.map((f) => (f.filter ? f.filter.filter(ctx) : null));
    const dvs = this.functions.map((f) => (f.fieldValueFactor ? (ctx.field(f.fieldValueFactor.field) as NumericField | undefined) : undefined));
    const docs = new Int32Array(sd.length);
    const scores = new Float64Array(sd.length);
    let k = 0;
    for (let i = 0; i < sd.length; i++) {
      const d = sd.docs[i];
      const vals: number[] = [];
      this.functions.forEach((fn, j) => {
        if (filters[j] && !filters[j]!.has(d)) return;
        let v = 1;
        if (fn.fieldValueFactor) {
          const dv = dvs[j];
          let x = dv && dv.kind === 'number' ? dv.dv.first(d) : NaN;
          if (Number.isNaN(x)) x = fn.fieldValueFactor.missing ?? NaN;
          if (Number.isNaN(x)) throw ctx.fail(`Missing value for field [${fn.fieldValueFactor.field}]`);
          v = (MODIFIERS[fn.fieldValueFactor.modifier] ?? MODIFIERS.none)(x * fn.fieldValueFactor.factor);
        }
        vals.push(v * (fn.weight ?? 1));
      });
      let f: number;
      if (vals.length === 0) f = 1;
      else if (this.scoreMode === 'sum') f = vals.reduce((a, b) => a + b, 0);
      else if (this.scoreMode === 'avg') f = vals.reduce((a, b) => a + b, 0) / vals.length;
      else if (this.scoreMode === 'max') f = Math.max(...vals);
      else if (this.scoreMode === 'min') f = Math.min(...vals);
      else if (this.scoreMode === 'first') f = vals[0];
      else f = vals.reduce((a, b) => a * b, 1);
      f = Math.min(f, this.maxBoost);
      const q = sd.scores[i];
      let s: number;
      switch (this.boostMode) {
        case 'replace':
          s = f;
          break;
        case 'sum':
          s = q + f;
          break;
        case 'avg':
          s = (q + f) / 2;
          break;
        case 'max':
          s = Math.max(q, f);
          break;
        case 'min':
          s = Math.min(q, f);
          break;
        default:
          s = q * f;
      }
      s *= this.boost;
      if (this.minScore !== undefined && s < this.minScore) continue;
      docs[k] = d;
      scores[k++] = s;
    }
    return { docs, scores, length: k };
  }
  override filter(ctx: ShardContext): Bitset {
    return this.minScore === undefined ? this.inner.filter(ctx) : super.filter(ctx);
  }
  override highlightTerms(ctx: ShardContext, out: HighlightTerms): void {
    this.inner.highlightTerms(ctx, out);
  }
}
