// Executes search and count requests over one or more indices: per-index query execution (the "shard" phase),
// failures collected as OpenSearch shard failures, top hits merged across indices, hits rendered with _source
// filtering, highlight and sort values, aggregations over all matching documents.
import { IllegalArgumentError, NODE_ID, OpenSearchError, ParsingError, SearchPhaseExecutionError } from '../errors';
import { Bitset } from '../engine/bitset';
import type { IndexEngine } from '../engine/index-engine';
import type { ScoredDocs } from '../engine/scored-docs';
import { DateMathError } from '../util/dates';
import { shortestFloat } from '../util/format';
import { runAggs, Segment } from './aggregations';
import { ShardContext } from './context';
import { highlightHit } from './highlight';
import type { HighlightTerms } from './queries/base';
import { QueryParser } from './query-parser';
import { SearchRequest, parseSearchRequest } from './search-request';
import { ShardHit, compareHits, renderSortValues, selectTop } from './sort';
import { filterSource } from './source-filter';

interface ShardResult {
  engine: IndexEngine;
  ctx: ShardContext;
  total: number;
  maxScore: number;
  top: ShardHit[];
  aggDocs: ScoredDocs;
}

/** The searchable documents of an index, restricted to the shards the routing values point at. */
function visibleDocs(engine: IndexEngine, routing?: string[]): Bitset {
  if (!routing || engine.numberOfShards === 1) return engine.live;
  const shards = new Set(routing.map((r) => engine.shardOf('', r)));
  const bits = engine.live.copy();
  for (let d = 0; d < Math.min(engine.maxOrd, bits.size); d++) if (bits.has(d) && !shards.has(engine.byOrd[d].shard)) bits.clear(d);
  return bits;
}

function windowError(engine: IndexEngine, n: number): OpenSearchError {
  return new IllegalArgumentError(
    `Result window is too large, from + size must be less than or equal to: [${engine.maxResultWindow}] but was [${n}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
  );
}

function shardsHeader(engines: IndexEngine[], failures: { index: string; cause: OpenSearchError }[]): Record<string, unknown> {
  const total = engines.reduce((n, e) => n + e.numberOfShards, 0);
  const failedShards = failures.reduce((n, f) => n + (engines.find((e) => e.name === f.index)?.numberOfShards ?? 1), 0);
  const out: Record<string, unknown> = { total, successful: total - failedShards, skipped: 0, failed: failedShards };
  if (failures.length) out.failures = failures.map((f) => ({ shard: 0, index: f.index, node: NODE_ID, reason: f.cause.toXContent() }));
  return out;
}

function runShard(engine: IndexEngine, req: SearchRequest, shardIndex: number, now: number): ShardResult {
  const window = req.from + req.size;
  if (window > engine.maxResultWindow) throw windowError(engine, window);
  const ctx = new ShardContext(engine, visibleDocs(engine, req.routing), now);
  let sd = req.query.score(ctx);
  if (req.minScore !== undefined) sd = filterScored(sd, (_d, s) => s >= req.minScore!);
  const aggDocs = sd;
  if (req.postFilter) {
    const bits = req.postFilter.filter(ctx);
    sd = filterScored(sd, (d) => bits.has(d));
  }
  let maxScore = -Infinity;
  for (let i = 0; i < sd.length; i++) if (sd.scores[i] > maxScore) maxScore = sd.scores[i];
  const top = selectTop(ctx, shardIndex, sd, req.sort, window, req.searchAfter);
  return { engine, ctx, total: sd.length, maxScore, top, aggDocs };
}

function filterScored(sd: ScoredDocs, keep: (d: number, s: number) => boolean): ScoredDocs {
  const docs = new Int32Array(sd.length);
  const scores = new Float64Array(sd.length);
  let k = 0;
  for (let i = 0; i < sd.length; i++) {
    if (keep(sd.docs[i], sd.scores[i])) {
      docs[k] = sd.docs[i];
      scores[k++] = sd.scores[i];
    }
  }
  return { docs, scores, length: k };
}

function asOpenSearchError(e: unknown): OpenSearchError {
  if (e instanceof OpenSearchError) return e;
  // Bad values that surface from helpers (date math, user regular expressions) are the client's fault: 400.
  if (e instanceof DateMathError) return new OpenSearchError('parse_exception', e.message, 400);
  if (e instanceof SyntaxError) return new IllegalArgumentError(e.message);
  return new OpenSearchError('exception', (e as Error)?.message ?? String(e), 500);
}

/** Runs a search on the resolved indices and renders OpenSearch's response body. */
export function executeSearch(engines: IndexEngine[], req: SearchRequest): Record<string, unknown> {
  const started = process.hrtime.bigint();
  const now = Date.now();
  const results: ShardResult[] = [];
  const failures: { index: string; shard: number; cause: OpenSearchError }[] = [];
  engines.forEach((engine, i) => {
    try {
      results.push(runShard(engine, req, i, now));
    } catch (e) {
      failures.push({ index: engine.name, shard: 0, cause: asOpenSearchError(e) });
    }
  });
  if (failures.length && results.length === 0) throw new SearchPhaseExecutionError(failures);
  const specs = req.sort;
  const all: ShardHit[] = results.length === 1 ? results[0].top : results.flatMap((r) => r.top).sort((a, b) => compareHits(a, b, specs));
  const page = all.slice(req.from, req.from + req.size);
  const scoresTracked = !req.fieldSort || req.trackScores || specs.some((s) => s.field === '_score');
  const total = results.reduce((n, r) => n + r.total, 0);
  const maxScore = results.reduce((m, r) => Math.max(m, r.maxScore), -Infinity);
  const byIndex = new Map(results.map((r) => [engines.indexOf(r.engine), r]));
  const highlightTerms = new Map<ShardResult, HighlightTerms>();
  const hits = page.map((h) => {
    const r = byIndex.get(h.shardIndex)!;
    const rec = r.engine.byOrd[h.ord];
    const hit: Record<string, unknown> = { _index: r.engine.name, _id: rec.id };
    if (req.version) hit._version = rec.version;
    if (req.seqNoPrimaryTerm) {
      hit._seq_no = rec.seqNo;
      hit._primary_term = rec.primaryTerm;
    }
    hit._score = scoresTracked ? shortestFloat(h.score) : null;
    if (rec.routing !== undefined) hit._routing = rec.routing;
    const src = filterSource(rec.source ?? {}, req.source);
    if (src !== undefined) hit._source = src;
    if (req.highlight && req.highlight.fields.length) {
      let terms = highlightTerms.get(r);
      if (!terms) {
        terms = new Map();
        req.query.highlightTerms(r.ctx, terms);
        highlightTerms.set(r, terms);
      }
      const hl = highlightHit(r.ctx, req.highlight, rec.source ?? {}, terms);
      if (hl) hit.highlight = hl;
    }
    if (req.fieldSort) hit.sort = renderSortValues(r.ctx, specs, h.keys);
    return hit;
  });
  const hitsOut: Record<string, unknown> = {};
  if (req.restTotalHitsAsInt) hitsOut.total = total;
  else if (req.trackTotalHits >= 0) {
    hitsOut.total = total > req.trackTotalHits ? { value: req.trackTotalHits, relation: 'gte' } : { value: total, relation: 'eq' };
  }
  hitsOut.max_score = scoresTracked && total > 0 && Number.isFinite(maxScore) ? shortestFloat(maxScore) : null;
  hitsOut.hits = hits;
  const body: Record<string, unknown> = {
    took: 0,
    timed_out: false,
    _shards: shardsHeader(engines, failures),
    hits: hitsOut,
  };
  if (req.aggs.length) {
    const segs: Segment[] = results.map((r) => ({ ctx: r.ctx, docs: r.aggDocs.docs, length: r.aggDocs.length }));
    let globalSegs: Segment[] | undefined;
    if (req.aggs.some((a) => a.type === 'global')) {
      globalSegs = results.map((r) => {
        const docs = r.ctx.live.toArray().filter((d) => d < r.ctx.maxOrd);
        return { ctx: r.ctx, docs, length: docs.length };
      });
    }
    try {
      body.aggregations = runAggs(req.aggs, segs, globalSegs);
    } catch (e) {
      const cause = asOpenSearchError(e);
      if (cause instanceof ParsingError) throw cause;
      throw new SearchPhaseExecutionError(engines.map((en) => ({ index: en.name, shard: 0, cause })));
    }
  }
  body.took = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return body;
}

/** _count: the number of matching documents. */
export function executeCount(engines: IndexEngine[], body: Record<string, unknown> | undefined, raw: string, params: Record<string, string | undefined>): Record<string, unknown> {
  const b = body ?? {};
  for (const k of Object.keys(b)) if (k !== 'query') throw new ParsingError(`request does not support [${k}]`);
  let query = b.query !== undefined ? new QueryParser(raw).parse(b.query) : undefined;
  if (params.q !== undefined || query === undefined) {
    query = parseSearchRequest(b.query !== undefined ? { query: b.query } : undefined, raw, { q: params.q, df: params.df, default_operator: params.default_operator, analyzer: params.analyzer, lenient: params.lenient }).query;
  }
  const now = Date.now();
  let count = 0;
  const failures: { index: string; shard: number; cause: OpenSearchError }[] = [];
  for (const e of engines) {
    try {
      const ctx = new ShardContext(e, visibleDocs(e, params.routing ? params.routing.split(',') : undefined), now);
      count += query.filter(ctx).count();
    } catch (err) {
      failures.push({ index: e.name, shard: 0, cause: asOpenSearchError(err) });
    }
  }
  if (failures.length && failures.length === engines.length) throw new SearchPhaseExecutionError(failures);
  return { count, _shards: shardsHeader(engines, failures) };
}
