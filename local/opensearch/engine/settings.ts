// Index settings: flattening {"settings":{"index":{"number_of_shards":3}}} to "index.number_of_shards": "3",
// validation with OpenSearch's messages, and typed accessors (shards, replicas, refresh interval, result window).
import { IllegalArgumentError } from '../errors';
import { isPlainObject } from '../util/json';

const KNOWN = [
  'number_of_shards', 'number_of_replicas', 'refresh_interval', 'max_result_window', 'max_inner_result_window', 'query.default_field',
  'codec', 'auto_expand_replicas', 'hidden', 'knn', 'max_ngram_diff', 'max_shingle_diff', 'number_of_routing_shards', 'priority',
  'highlight.max_analyzed_offset', 'write.wait_for_active_shards', 'max_terms_count', 'max_regex_length', 'default_pipeline',
  'final_pipeline', 'gc_deletes', 'max_script_fields', 'max_docvalue_fields_search', 'search.idle.after', 'shard.check_on_startup',
];
const KNOWN_PREFIXES = ['analysis.', 'mapping.', 'blocks.', 'sort.', 'routing.', 'translog.', 'search.', 'plugins.', 'similarity.', 'knn.', 'merge.', 'unassigned.', 'lifecycle.', 'replication.', 'store.', 'indexing.', 'queries.', 'requests.'];
const PRIVATE = ['uuid', 'creation_date', 'version.created', 'provided_name', 'version.upgraded'];

export type Settings = Record<string, unknown>;

/** Flattens a settings object to "index.*" keys (analysis stays a nested object under "index.analysis"). */
export function flattenSettings(input: unknown): Settings {
  const out: Settings = {};
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      const norm = key.startsWith('index.') ? key : `index.${key}`;
      if (norm === 'index.analysis' || norm.startsWith('index.analysis.')) {
        const cur = (out['index.analysis'] as Record<string, unknown>) ?? {};
        if (norm === 'index.analysis') Object.assign(cur, v as object);
        else {
          const parts = norm.slice('index.analysis.'.length).split('.');
          let node = cur;
          for (let i = 0; i < parts.length - 1; i++) node = (node[parts[i]] ??= {}) as Record<string, unknown>;
          node[parts[parts.length - 1]] = v;
        }
        out['index.analysis'] = cur;
      } else if (isPlainObject(v)) walk(v, key);
      else out[norm] = Array.isArray(v) ? v.map(String) : v === null ? null : String(v);
    }
  };
  if (isPlainObject(input)) walk(input, '');
  return out;
}

function intSetting(s: Settings, key: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = s[key];
  if (raw === undefined || raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new IllegalArgumentError(`Failed to parse value [${String(raw)}] for setting [${key}]`);
  if (n < min) throw new IllegalArgumentError(`Failed to parse value [${n}] for setting [${key}] must be >= ${min}`);
  if (n > max) throw new IllegalArgumentError(`Failed to parse value [${n}] for setting [${key}] must be <= ${max}`);
  return n;
}

/** Parses a time value such as "1s", "500ms", "-1" (disabled) to milliseconds (-1 = never). */
export function parseTimeValue(raw: unknown, key: string): number {
  const s = String(raw).trim();
  if (s === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(s);
  if (!m) throw new IllegalArgumentError(`failed to parse setting [${key}] with value [${s}] as a time value: unit is missing or unrecognized`);
  const mult: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * mult[m[2]];
}

export function validateSettings(s: Settings, creating: boolean): void {
  for (const key of Object.keys(s)) {
    const k = key.slice('index.'.length);
    if (PRIVATE.includes(k)) {
      if (creating) throw new IllegalArgumentError(`private index setting [${key}] can not be set explicitly`);
      continue;
    }
    if (k === 'analysis') continue;
    if (!KNOWN.includes(k) && !KNOWN_PREFIXES.some((p) => k.startsWith(p))) {
      throw new IllegalArgumentError(
        `unknown setting [${key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings`,
      );
    }
  }
  intSetting(s, 'index.number_of_shards', 1, 1, 1024);
  intSetting(s, 'index.number_of_replicas', 1, 0);
  intSetting(s, 'index.max_result_window', 10000, 1);
  if (s['index.refresh_interval'] !== undefined) parseTimeValue(s['index.refresh_interval'], 'index.refresh_interval');
}

export function shardsOf(s: Settings): number {
  return intSetting(s, 'index.number_of_shards', 1, 1, 1024);
}
export function replicasOf(s: Settings): number {
  return intSetting(s, 'index.number_of_replicas', 1, 0);
}
export function refreshIntervalOf(s: Settings): number {
  return s['index.refresh_interval'] === undefined ? 1000 : parseTimeValue(s['index.refresh_interval'], 'index.refresh_interval');
}
export function maxResultWindowOf(s: Settings, def: number): number {
  return intSetting(s, 'index.max_result_window', def, 1);
}

/** Settings as GET /idx/_settings shows them (nested objects, string values). */
export function nestSettings(s: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(s)) {
    const parts = key.split('.');
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) node = (node[parts[i]] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = v;
  }
  return out;
}
