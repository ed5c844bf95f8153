// Parsing of a search request: the JSON body (query, from/size, sort, search_after, track_total_hits, _source,
// aggs, highlight, post_filter, ...) merged with URL parameters (q, from, size, sort, _source*, routing, ...).
import { IllegalArgumentError, ParsingError } from '../errors';
import { isPlainObject } from '../util/json';
import { AggSpec, parseAggs } from './aggregations';
import { HighlightSpec, parseHighlight } from './highlight';
import type { Query } from './queries/base';
import { MatchAllQuery } from './queries/term-level';
import { QueryStringQuery } from './queries/query-string';
import { QueryParser } from './query-parser';
import { SortSpec, parseSort } from './sort';
import { SourceFilter, parseSourceFilter } from './source-filter';

export interface SearchRequest {
  query: Query;
  postFilter?: Query;
  from: number;
  size: number;
  sort: SortSpec[];
  /** True when hits are ordered by something other than the default _score. */
  fieldSort: boolean;
  searchAfter?: unknown[];
  /** Count exactly up to this many hits (Infinity = true, -1 = false). */
  trackTotalHits: number;
  source: SourceFilter;
  aggs: AggSpec[];
  highlight?: HighlightSpec;
  minScore?: number;
  trackScores: boolean;
  version: boolean;
  seqNoPrimaryTerm: boolean;
  routing?: string[];
  restTotalHitsAsInt: boolean;
  typedKeys: boolean;
}

const BODY_KEYS = [
  'query', 'from', 'size', 'sort', 'search_after', 'track_total_hits', '_source', 'aggs', 'aggregations', 'highlight', 'post_filter', 'min_score',
  'track_scores', 'version', 'seq_no_primary_term', 'explain', 'stored_fields', 'docvalue_fields', 'fields', 'timeout', 'terminate_after',
  'indices_boost', 'profile', 'stats', 'ext', 'script_fields', 'collapse', 'suggest', 'pit', 'slice', 'rescore',
];

function tokenName(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (isPlainObject(v)) return 'START_OBJECT';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER';
  if (typeof v === 'boolean') return 'VALUE_BOOLEAN';
  return 'VALUE_NULL';
}

function intParam(v: unknown, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ParsingError(`[${name}] failed to parse field [${name}]`);
  return n;
}

export function parseSearchRequest(body: Record<string, unknown> | undefined, raw: string, params: Record<string, string | undefined>): SearchRequest {
  const b = body ?? {};
  for (const [k, v] of Object.entries(b)) {
    if (!BODY_KEYS.includes(k)) throw new ParsingError(`Unknown key for a ${tokenName(v)} in [${k}].`, 1, Math.max(1, raw.indexOf(`"${k}"`) + 2));
  }
  for (const k of ['collapse', 'suggest', 'pit', 'slice', 'rescore', 'script_fields']) {
    if (b[k] !== undefined) throw new IllegalArgumentError(`[${k}] is not supported by this local OpenSearch`);
  }
  const qp = new QueryParser(raw);
  let query: Query = b.query !== undefined ? qp.parse(b.query) : new MatchAllQuery();
  if (params.q !== undefined) {
    query = new QueryStringQuery({
      query: params.q,
      fields: [],
      defaultField: params.df,
      defaultOperator: String(params.default_operator ?? 'or').toLowerCase() === 'and' ? 'and' : 'or',
      analyzer: params.analyzer,
      lenient: params.lenient === 'true',
      simple: false,
    });
  }
  let from = b.from !== undefined ? intParam(b.from, 'from') : -1;
  let size = b.size !== undefined ? intParam(b.size, 'size') : -1;
  if (params.from !== undefined) from = intParam(params.from, 'from');
  if (params.size !== undefined) size = intParam(params.size, 'size');
  if (size < -1) throw new IllegalArgumentError(`[size] parameter cannot be negative, found [${size}]`);
  if (from < -1) throw new IllegalArgumentError(`[from] parameter cannot be negative, found [${from}]`);
  let sort: SortSpec[] = [];
  if (b.sort !== undefined) sort = parseSort(b.sort);
  if (params.sort !== undefined) sort = parseSort(params.sort.split(','));
  const fieldSort = sort.length > 0 && !(sort.length === 1 && sort[0].field === '_score' && sort[0].order === 'desc');
  let searchAfter: unknown[] | undefined;
  if (b.search_after !== undefined) {
    if (!Array.isArray(b.search_after)) throw new ParsingError('[search_after] must be an array');
    searchAfter = b.search_after;
    const keys = sort.length ? sort.length : 1;
    if (searchAfter.length !== keys) throw new IllegalArgumentError(`search_after has ${searchAfter.length} value(s) but sort has ${keys}.`);
    if (from > 0) throw new IllegalArgumentError('`from` parameter must be set to 0 when `search_after` is used.');
  }
  const restTotalHitsAsInt = params.rest_total_hits_as_int === 'true';
  let tth: unknown = b.track_total_hits ?? params.track_total_hits;
  if (restTotalHitsAsInt) tth = true;
  const trackTotalHits = tth === undefined ? 10000 : tth === true || tth === 'true' ? Infinity : tth === false || tth === 'false' ? -1 : intParam(tth, 'track_total_hits');
  const aggsRaw = b.aggs ?? b.aggregations;
  return {
    query,
    postFilter: b.post_filter !== undefined ? qp.parse(b.post_filter) : undefined,
    from: from < 0 ? 0 : from,
    size: size < 0 ? 10 : size,
    sort: sort.length ? sort : [{ field: '_score', order: 'desc', missing: '_last' }],
    fieldSort,
    searchAfter,
    trackTotalHits,
    source: parseSourceFilter(b._source, params),
    aggs: aggsRaw !== undefined ? parseAggs(aggsRaw, qp) : [],
    highlight: b.highlight !== undefined ? parseHighlight(b.highlight) : undefined,
    minScore: b.min_score !== undefined ? Number(b.min_score) : undefined,
    trackScores: b.track_scores === true,
    version: b.version === true || params.version === 'true',
    seqNoPrimaryTerm: b.seq_no_primary_term === true || params.seq_no_primary_term === 'true',
    routing: params.routing ? params.routing.split(',') : undefined,
    restTotalHitsAsInt,
    typedKeys: params.typed_keys === 'true',
  };
}
