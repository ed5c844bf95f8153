// Field types the engine knows, their allowed mapping parameters, and the resolved per-field description.
import type { Analyzer } from '../analysis/analyzers';

export type FieldKind = 'text' | 'keyword' | 'number' | 'date' | 'boolean' | 'opaque';

/** A leaf field as the engine indexes it (multi-fields such as `name.keyword` are leaves of their own). */
export interface FieldInfo {
  path: string;
  type: string;
  kind: FieldKind;
  index: boolean;
  docValues: boolean;
  analyzer?: Analyzer;
  searchAnalyzer?: Analyzer;
  normalizer?: (s: string) => string;
  ignoreAbove?: number;
  format?: string;
  coerce: boolean;
  ignoreMalformed: boolean;
  fielddata: boolean;
  /** Numeric subtype details. */
  integral: boolean;
  float32: boolean;
  scalingFactor?: number;
  min?: number;
  max?: number;
  nullValue?: unknown;
  multiFields: FieldInfo[];
  copyTo: string[];
}

const COMMON = ['type', 'index', 'store', 'doc_values', 'copy_to', 'meta', 'fields', 'boost', 'null_value', 'ignore_malformed', 'similarity'];
const TEXT = [...COMMON, 'analyzer', 'search_analyzer', 'search_quote_analyzer', 'fielddata', 'fielddata_frequency_filter', 'index_options', 'index_phrases', 'index_prefixes', 'norms', 'position_increment_gap', 'term_vector', 'eager_global_ordinals'];
const KEYWORD = [...COMMON, 'ignore_above', 'normalizer', 'eager_global_ordinals', 'index_options', 'norms', 'split_queries_on_whitespace'];
const NUMBER = [...COMMON, 'coerce'];
const DATE = [...COMMON, 'format', 'locale', 'print_format'];

const INTEGRAL: Record<string, [number, number]> = {
  long: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024],
  integer: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
  unsigned_long: [0, Number.MAX_SAFE_INTEGER * 2048],
};

export interface TypeSpec {
  kind: FieldKind;
  params: string[] | null; // null = accept anything (opaque types)
}

export const TYPES: Record<string, TypeSpec> = {
  text: { kind: 'text', params: TEXT },
  match_only_text: { kind: 'text', params: TEXT },
  search_as_you_type: { kind: 'text', params: [...TEXT, 'max_shingle_size'] },
  keyword: { kind: 'keyword', params: KEYWORD },
  constant_keyword: { kind: 'keyword', params: [...KEYWORD, 'value'] },
  wildcard: { kind: 'keyword', params: KEYWORD },
  ip: { kind: 'keyword', params: NUMBER },
  long: { kind: 'number', params: NUMBER },
  integer: { kind: 'number', params: NUMBER },
  short: { kind: 'number', params: NUMBER },
  byte: { kind: 'number', params: NUMBER },
  unsigned_long: { kind: 'number', params: NUMBER },
  double: { kind: 'number', params: NUMBER },
  float: { kind: 'number', params: NUMBER },
  half_float: { kind: 'number', params: NUMBER },
  scaled_float: { kind: 'number', params: [...NUMBER, 'scaling_factor'] },
  token_count: { kind: 'number', params: [...NUMBER, 'analyzer', 'enable_position_increments'] },
  date: { kind: 'date', params: DATE },
  date_nanos: { kind: 'date', params: DATE },
  boolean: { kind: 'boolean', params: COMMON },
  geo_point: { kind: 'opaque', params: null },
  geo_shape: { kind: 'opaque', params: null },
  binary: { kind: 'opaque', params: null },
  knn_vector: { kind: 'opaque', params: null },
  flat_object: { kind: 'opaque', params: null },
  completion: { kind: 'opaque', params: null },
  rank_feature: { kind: 'opaque', params: null },
  rank_features: { kind: 'opaque', params: null },
  join: { kind: 'opaque', params: null },
  percolator: { kind: 'opaque', params: null },
  alias: { kind: 'opaque', params: null },
  integer_range: { kind: 'opaque', params: null },
  long_range: { kind: 'opaque', params: null },
  float_range: { kind: 'opaque', params: null },
  double_range: { kind: 'opaque', params: null },
  date_range: { kind: 'opaque', params: null },
  ip_range: { kind: 'opaque', params: null },
};

export function integralRange(type: string): [number, number] | undefined {
  return INTEGRAL[type];
}

export const OBJECT_PARAMS = ['type', 'properties', 'dynamic', 'enabled', 'include_in_parent', 'include_in_root'];
