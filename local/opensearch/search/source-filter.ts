// _source filtering: false, "field", ["a", "b.*"], {"includes": [...], "excludes": [...]} and the
// _source / _source_includes / _source_excludes query parameters, with wildcard paths over nested objects.
import { isPlainObject } from '../util/json';

export interface SourceFilter {
  enabled: boolean;
  includes: string[];
  excludes: string[];
}

export const ALL_SOURCE: SourceFilter = { enabled: true, includes: [], excludes: [] };

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : String(v).split(',').filter(Boolean));

export function parseSourceFilter(body: unknown, params: Record<string, string | undefined> = {}): SourceFilter {
  let f: SourceFilter = { ...ALL_SOURCE };
  if (body === false || body === 'false') f = { enabled: false, includes: [], excludes: [] };
  else if (typeof body === 'string' || Array.isArray(body)) f = { enabled: true, includes: list(body), excludes: [] };
  else if (isPlainObject(body)) f = { enabled: true, includes: list(body.includes ?? body.include), excludes: list(body.excludes ?? body.exclude) };
  const p = params._source;
  if (p !== undefined) {
    if (p === 'false') f = { enabled: false, includes: [], excludes: [] };
    else if (p !== 'true') f = { enabled: true, includes: list(p), excludes: [] };
  }
  if (params._source_includes !== undefined) f = { ...f, enabled: true, includes: list(params._source_includes) };
  if (params._source_excludes !== undefined) f = { ...f, enabled: true, excludes: list(params._source_excludes) };
  return f;
}

function toRegex(patterns: string[]): RegExp[] {
  return patterns.map((p) => new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$'));
}

/** Applies the filter to a source document (returns a new object). */
export function filterSource(src: Record<string, unknown>, f: SourceFilter): Record<string, unknown> | undefined {
  if (!f.enabled) return undefined;
  if (f.includes.length === 0 && f.excludes.length === 0) return src;
  const inc = toRegex(f.includes);
  const exc = toRegex(f.excludes);
  // A path is kept if it (or an ancestor) matches an include, or is a prefix of an include (object on the way).
  const included = (path: string) => inc.length === 0 || inc.some((r) => r.test(path));
  const excluded = (path: string) => exc.some((r) => r.test(path));
  const mayContain = (path: string) => inc.length === 0 || f.includes.some((p) => p.startsWith(path + '.') || p.startsWith('*'));
  const walk = (obj: Record<string, unknown>, prefix: string, parentIncluded: boolean): Record<string, unknown> | undefined => {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (excluded(path)) continue;
      const inc2 = parentIncluded || included(path);
      if (isPlainObject(v)) {
        const sub = walk(v, path, inc2);
        if (sub && (Object.keys(sub).length || inc2)) {
          out[k] = sub;
          any = true;
        }
      } else if (Array.isArray(v) && v.some(isPlainObject)) {
        const arr = v.map((x) => (isPlainObject(x) ? walk(x, path, inc2) : inc2 ? x : undefined)).filter((x) => x !== undefined);
        if (arr.length || inc2) {
          out[k] = arr;
          any = true;
        }
      } else if (inc2) {
        out[k] = v;
        any = true;
      } else if (mayContain(path)) continue;
    }
    return any || parentIncluded ? out : prefix ? undefined : out;
  };
  return walk(src, '', false) ?? {};
}

/** Values at a dotted path (arrays flattened), as highlighting and fields need them. */
export function valuesAt(src: unknown, path: string): unknown[] {
  const parts = path.split('.');
  let cur: unknown[] = [src];
  for (let i = 0; i < parts.length; i++) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (Array.isArray(c)) {
        for (const x of c) if (isPlainObject(x) && parts[i] in x) next.push(x[parts[i]]);
      } else if (isPlainObject(c)) {
        if (parts[i] in c) next.push(c[parts[i]]);
        else {
          // dotted key stored literally, e.g. {"a.b": 1}
          const rest = parts.slice(i).join('.');
          if (rest in c) return ([] as unknown[]).concat(c[rest]);
        }
      }
    }
    cur = next.flatMap((x) => (Array.isArray(x) ? x : [x]));
  }
  return cur.filter((x) => x !== null && x !== undefined);
}
