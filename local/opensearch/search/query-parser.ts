// Query DSL parser: JSON query objects to executable Query nodes, with OpenSearch's parsing_exception messages
// (unknown query [x], [match] query does not support [y], malformed queries) and their line/col positions.
import { OpenSearchError, ParsingError } from '../errors';
import { isPlainObject, lineCol } from '../util/json';
import { Query } from './queries/base';
import { BoolQuery, BoostingQuery, ConstantScoreQuery, DisMaxQuery, FunctionScoreQuery, ScoreFunction } from './queries/compound';
import { MatchQuery, MultiMatchQuery, MultiMatchType, PhraseQuery } from './queries/full-text';
import { QueryStringQuery } from './queries/query-string';
import {
  ExistsQuery,
  FuzzyQuery,
  IdsQuery,
  MatchAllQuery,
  MatchNoneQuery,
  PrefixQuery,
  RangeQuery,
  RegexpQuery,
  TermQuery,
  TermsQuery,
  WildcardQuery,
} from './queries/term-level';

type Obj = Record<string, unknown>;

const COMMON = ['boost', '_name'];
const MATCH_PARAMS = ['query', 'operator', 'minimum_should_match', 'fuzziness', 'prefix_length', 'max_expansions', 'fuzzy_transpositions', 'analyzer', 'zero_terms_query', 'lenient', 'auto_generate_synonyms_phrase_query', 'fuzzy_rewrite', 'cutoff_frequency', ...COMMON];
const PHRASE_PARAMS = ['query', 'slop', 'analyzer', 'zero_terms_query', 'max_expansions', ...COMMON];
const MULTI_PARAMS = ['query', 'fields', 'type', 'operator', 'minimum_should_match', 'fuzziness', 'prefix_length', 'max_expansions', 'fuzzy_transpositions', 'tie_breaker', 'analyzer', 'lenient', 'slop', 'zero_terms_query', 'auto_generate_synonyms_phrase_query', 'fuzzy_rewrite', 'cutoff_frequency', ...COMMON];
const QS_PARAMS = ['query', 'fields', 'default_field', 'default_operator', 'fuzziness', 'analyzer', 'quote_analyzer', 'minimum_should_match', 'lenient', 'phrase_slop', 'analyze_wildcard', 'allow_leading_wildcard', 'fuzzy_prefix_length', 'fuzzy_max_expansions', 'fuzzy_transpositions', 'max_determinized_states', 'enable_position_increments', 'auto_generate_synonyms_phrase_query', 'quote_field_suffix', 'rewrite', 'time_zone', 'type', 'tie_breaker', 'escape', 'flags', ...COMMON];
const SQS_PARAMS = ['query', 'fields', 'default_operator', 'analyzer', 'flags', 'fuzzy_prefix_length', 'fuzzy_max_expansions', 'fuzzy_transpositions', 'lenient', 'minimum_should_match', 'analyze_wildcard', 'auto_generate_synonyms_phrase_query', 'quote_field_suffix', ...COMMON];

export class QueryParser {
  constructor(private readonly raw: string = '') {}

  /** parsing_exception located at the first occurrence of `"key"` in the raw body (OpenSearch reports line/col). */
  error(reason: string, key?: string, cause?: OpenSearchError): ParsingError {
    let line = 1;
    let col = 1;
    if (key !== undefined && this.raw) {
      const at = this.raw.indexOf(`"${key}"`);
      if (at >= 0) ({ line, col } = lineCol(this.raw, at + key.length + 2));
    }
    return new ParsingError(reason, line, col, cause);
  }

  parse(q: unknown): Query {
    if (!isPlainObject(q)) throw this.error('[_na] query malformed, must start with start_object');
    const keys = Object.keys(q);
    if (keys.length === 0) return new MatchAllQuery();
    if (keys.length > 1) throw this.error(`[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`, keys[1]);
    const type = keys[0];
    const body = q[type];
    const node = this.parseType(type, body);
    if (isPlainObject(body) && typeof body._name === 'string') node.queryName = body._name;
    return node;
  }

  private obj(type: string, body: unknown): Obj {
    if (!isPlainObject(body)) throw this.error(`[${type}] query malformed, no start_object after query name`, type);
    return body;
  }

  private checkParams(type: string, o: Obj, allowed: string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) throw this.error(`[${type}] query does not support [${k}]`, k);
  }

  private boost(o: Obj): number {
    return o.boost === undefined ? 1 : Number(o.boost);
  }

  /** {"field": value} or {"field": {"value"|"query": ..., params}} with the field name extracted. */
  private single(type: string, body: unknown, valueKey: string, allowed: string[]): { field: string; value: unknown; params: Obj } {
    const o = this.obj(type, body);
    const fields = Object.keys(o).filter((k) => !COMMON.includes(k));
    if (fields.length === 0) throw this.error(`[${type}] query doesn't support multiple fields, found none`, type);
    if (fields.length > 1) throw this.error(`[${type}] query doesn't support multiple fields, found [${fields[0]}] and [${fields[1]}]`, fields[1]);
    const field = fields[0];
    const v = o[field];
    if (Array.isArray(v)) throw this.error(`[${type}] query does not support array of values`, field);
    if (isPlainObject(v)) {
      this.checkParams(type, v, allowed);
      if (!(valueKey in v) && !(type === 'wildcard' && 'wildcard' in v)) throw this.error(`[${type}] requires ${valueKey}`, field);
      return { field, value: v[valueKey] ?? v.wildcard, params: { ...v, boost: v.boost ?? o.boost } };
    }
    return { field, value: v, params: { boost: o.boost } };
  }

  private clauses(type: string, v: unknown): Query[] {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v.map((x) => this.parse(x));
    if (isPlainObject(v)) return [this.parse(v)];
    throw this.error(`[${type}] query malformed, must start with start_object`, type);
  }

  private parseType(type: string, body: unknown): Query {
    switch (type) {
      case 'match_all': {
        const o = this.obj(type, body);
        this.checkParams(type, o, COMMON);
        const q = new MatchAllQuery();
        q.boost = this.boost(o);
        return q;
      }
      case 'match_none':
        return new MatchNoneQuery();
      case 'term': {
        const { field, value, params } = this.single(type, body, 'value', ['value', 'case_insensitive', ...COMMON]);
        if (value === null || value === undefined) throw this.error(`[term] query value cannot be null`, field);
        const q = new TermQuery(field, value, params.case_insensitive === true);
        q.boost = this.boost(params);
        return q;
      }
      case 'terms': {
        const o = this.obj(type, body);
        const fields = Object.keys(o).filter((k) => !COMMON.includes(k));
        if (fields.length !== 1) throw this.error(`[terms] query does not support multiple fields`, fields[1]);
        const vals = o[fields[0]];
        if (!Array.isArray(vals)) throw this.error(`[terms] query does not support [${fields[0]}]`, fields[0]);
        const q = new TermsQuery(fields[0], vals);
        q.boost = this.boost(o);
        return q;
      }
      case 'range': {
        const o = this.obj(type, body);
        const fields = Object.keys(o).filter((k) => !COMMON.includes(k));
        if (fields.length !== 1) throw this.error(`[range] query doesn't support multiple fields, found [${fields[0]}] and [${fields[1]}]`, fields[1]);
        const b = o[fields[0]];
        if (!isPlainObject(b)) throw this.error(`[range] query malformed, no start_object after query name`, fields[0]);
        this.checkParams(type, b, ['gt', 'gte', 'lt', 'lte', 'from', 'to', 'include_lower', 'include_upper', 'format', 'relation', 'time_zone', ...COMMON]);
        const bounds: Obj = { gt: b.gt, gte: b.gte, lt: b.lt, lte: b.lte, format: b.format };
        if (b.from !== undefined && b.from !== null) bounds[b.include_lower === false ? 'gt' : 'gte'] = b.from;
        if (b.to !== undefined && b.to !== null) bounds[b.include_upper === false ? 'lt' : 'lte'] = b.to;
        const q = new RangeQuery(fields[0], bounds);
        q.boost = this.boost(b);
        return q;
      }
      case 'prefix':
      case 'wildcard':
      case 'regexp': {
        const { field, value, params } = this.single(type, body, 'value', ['value', 'wildcard', 'case_insensitive', 'rewrite', 'flags', 'max_determinized_states', ...COMMON]);
        const ci = params.case_insensitive === true;
        const q = type === 'prefix' ? new PrefixQuery(field, String(value), ci) : type === 'wildcard' ? new WildcardQuery(field, String(value), ci) : new RegexpQuery(field, String(value), ci);
        q.boost = this.boost(params);
        return q;
      }
      case 'fuzzy': {
        const { field, value, params } = this.single(type, body, 'value', ['value', 'fuzziness', 'prefix_length', 'max_expansions', 'transpositions', 'rewrite', ...COMMON]);
        const q = new FuzzyQuery(field, String(value), params.fuzziness ?? 'AUTO', Number(params.prefix_length ?? 0), Number(params.max_expansions ?? 50), params.transpositions !== false);
        q.boost = this.boost(params);
        return q;
      }
      case 'exists': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['field', ...COMMON]);
        if (typeof o.field !== 'string') throw this.error('[exists] must be provided with a [field]', type);
        const q = new ExistsQuery(o.field);
        q.boost = this.boost(o);
        return q;
      }
      case 'ids': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['values', 'type', ...COMMON]);
        if (!Array.isArray(o.values)) throw this.error('[ids] query malformed, values must be an array', 'values');
        const q = new IdsQuery(o.values.map(String));
        q.boost = this.boost(o);
        return q;
      }
      case 'match':
      case 'match_bool_prefix': {
        const { field, value, params: p } = this.single(type, body, 'query', MATCH_PARAMS);
        if (value === null || value === undefined) throw this.error(`[${type}] requires query value`, field);
        if (p.operator !== undefined && !['or', 'and'].includes(String(p.operator).toLowerCase())) {
          throw this.error(`[${type}] query does not support [operator] with value [${String(p.operator)}]`, 'operator');
        }
        const q = new MatchQuery(field, value, {
          operator: String(p.operator ?? 'or').toLowerCase() as 'or' | 'and',
          minimumShouldMatch: p.minimum_should_match,
          fuzziness: p.fuzziness,
          prefixLength: p.prefix_length !== undefined ? Number(p.prefix_length) : undefined,
          maxExpansions: p.max_expansions !== undefined ? Number(p.max_expansions) : undefined,
          transpositions: p.fuzzy_transpositions !== false,
          analyzer: p.analyzer as string | undefined,
          zeroTermsQuery: p.zero_terms_query === 'all' ? 'all' : 'none',
          lenient: p.lenient === true,
          lastPrefix: type === 'match_bool_prefix',
        });
        q.boost = this.boost(p);
        return q;
      }
      case 'match_phrase':
      case 'match_phrase_prefix': {
        const { field, value, params: p } = this.single(type, body, 'query', PHRASE_PARAMS);
        const q = new PhraseQuery(field, value, Number(p.slop ?? 0), type === 'match_phrase_prefix', Number(p.max_expansions ?? 50), p.analyzer as string | undefined, p.zero_terms_query === 'all' ? 'all' : 'none');
        q.boost = this.boost(p);
        return q;
      }
      case 'multi_match': {
        const o = this.obj(type, body);
        this.checkParams(type, o, MULTI_PARAMS);
        if (o.query === undefined) throw this.error('No text specified for multi_match query', type);
        const t = String(o.type ?? 'best_fields').toLowerCase();
        if (!['best_fields', 'most_fields', 'cross_fields', 'phrase', 'phrase_prefix', 'bool_prefix'].includes(t)) {
          throw this.error(`failed to parse [multi_match] query type [${t}]. unknown type.`, 'type');
        }
        const fields = o.fields === undefined ? [] : Array.isArray(o.fields) ? o.fields.map(String) : [String(o.fields)];
        const q = new MultiMatchQuery(fields, o.query, t as MultiMatchType, o.tie_breaker !== undefined ? Number(o.tie_breaker) : undefined, {
          operator: String(o.operator ?? 'or').toLowerCase() as 'or' | 'and',
          minimumShouldMatch: o.minimum_should_match,
          fuzziness: o.fuzziness,
          prefixLength: o.prefix_length !== undefined ? Number(o.prefix_length) : undefined,
          maxExpansions: o.max_expansions !== undefined ? Number(o.max_expansions) : undefined,
          transpositions: o.fuzzy_transpositions !== false,
          analyzer: o.analyzer as string | undefined,
          lenient: o.lenient === true,
          slop: o.slop !== undefined ? Number(o.slop) : undefined,
          zeroTermsQuery: o.zero_terms_query === 'all' ? 'all' : 'none',
        });
        q.boost = this.boost(o);
        return q;
      }
      case 'bool': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['must', 'should', 'filter', 'must_not', 'minimum_should_match', 'adjust_pure_negative', ...COMMON]);
        const q = new BoolQuery(this.clauses('must', o.must), this.clauses('should', o.should), this.clauses('filter', o.filter), this.clauses('must_not', o.must_not), o.minimum_should_match);
        q.boost = this.boost(o);
        return q;
      }
      case 'dis_max': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['queries', 'tie_breaker', ...COMMON]);
        if (!Array.isArray(o.queries)) throw this.error('[dis_max] requires \'queries\' field with at least one clause', type);
        const q = new DisMaxQuery(o.queries.map((x) => this.parse(x)), Number(o.tie_breaker ?? 0));
        q.boost = this.boost(o);
        return q;
      }
      case 'constant_score': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['filter', ...COMMON]);
        if (o.filter === undefined) throw this.error('[constant_score] requires a \'filter\' element', type);
        return new ConstantScoreQuery(this.parse(o.filter), this.boost(o));
      }
      case 'boosting': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['positive', 'negative', 'negative_boost', ...COMMON]);
        if (o.positive === undefined || o.negative === undefined) throw this.error('[boosting] query requires \'positive\' and \'negative\' queries', type);
        const q = new BoostingQuery(this.parse(o.positive), this.parse(o.negative), Number(o.negative_boost ?? 1));
        q.boost = this.boost(o);
        return q;
      }
      case 'function_score': {
        const o = this.obj(type, body);
        this.checkParams(type, o, ['query', 'functions', 'field_value_factor', 'weight', 'score_mode', 'boost_mode', 'max_boost', 'min_score', 'filter', ...COMMON]);
        const fnSpec = (f: Obj): ScoreFunction => {
          const fn: ScoreFunction = {};
          if (f.filter !== undefined) fn.filter = this.parse(f.filter);
          if (f.weight !== undefined) fn.weight = Number(f.weight);
          if (isPlainObject(f.field_value_factor)) {
            const v = f.field_value_factor;
            fn.fieldValueFactor = { field: String(v.field), factor: Number(v.factor ?? 1), modifier: String(v.modifier ?? 'none'), missing: v.missing !== undefined ? Number(v.missing) : undefined };
          }
          for (const k of Object.keys(f)) {
            if (!['filter', 'weight', 'field_value_factor'].includes(k)) throw this.error(`function_score query does not support [${k}] functions`, k);
          }
          return fn;
        };
        const functions: ScoreFunction[] = Array.isArray(o.functions) ? o.functions.map((f) => fnSpec(isPlainObject(f) ? f : {})) : [];
        if (o.field_value_factor !== undefined || o.weight !== undefined) functions.push(fnSpec({ field_value_factor: o.field_value_factor, weight: o.weight }));
        const q = new FunctionScoreQuery(o.query !== undefined ? this.parse(o.query) : new MatchAllQuery(), functions, String(o.score_mode ?? 'multiply'), String(o.boost_mode ?? 'multiply'), Number(o.max_boost ?? Number.MAX_VALUE), o.min_score !== undefined ? Number(o.min_score) : undefined);
        q.boost = this.boost(o);
        return q;
      }
      case 'query_string':
      case 'simple_query_string': {
        const o = this.obj(type, body);
        this.checkParams(type, o, type === 'query_string' ? QS_PARAMS : SQS_PARAMS);
        if (typeof o.query !== 'string') throw this.error(`[${type}] must be provided with a [query]`, type);
        const q = new QueryStringQuery({
          query: o.query,
          fields: Array.isArray(o.fields) ? o.fields.map(String) : [],
          defaultField: o.default_field as string | undefined,
          defaultOperator: String(o.default_operator ?? 'or').toLowerCase() === 'and' ? 'and' : 'or',
          fuzziness: o.fuzziness,
          analyzer: o.analyzer as string | undefined,
          minimumShouldMatch: o.minimum_should_match,
          lenient: o.lenient === true,
          phraseSlop: o.phrase_slop !== undefined ? Number(o.phrase_slop) : undefined,
          simple: type === 'simple_query_string',
        });
        q.boost = this.boost(o);
        return q;
      }
      case 'nested': {
        // Nested documents are indexed as plain objects here: the inner query runs on the parent document.
        const o = this.obj(type, body);
        this.checkParams(type, o, ['path', 'query', 'score_mode', 'ignore_unmapped', 'inner_hits', ...COMMON]);
        if (o.query === undefined) throw this.error('[nested] requires \'query\' field', type);
        return this.parse(o.query);
      }
      default: {
        const at = this.error('', type).extra;
        throw this.error(`unknown query [${type}]`, type, new OpenSearchError('named_object_not_found_exception', `[${at.line}:${at.col}] unknown field [${type}]`, 400));
      }
    }
  }
}
