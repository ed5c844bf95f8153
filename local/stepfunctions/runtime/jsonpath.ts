/**
 * JSONPath as Step Functions evaluates it (AWS runs Jayway JsonPath):
 *
 *   path      := "$" segment* | "$$" segment*            ("$$" reads the context object)
 *   segment   := "." name | "['" name "']" | "[" int "]"  (definite: one value or an error)
 *              | ".*" | "[*]" | ".." name | "[" a "," b "]" | "[" start ":" end "]" | "[?(" expr ")]"
 *                                                        (indefinite: always a list, [] when nothing matches)
 *              | ".length()"                             (Jayway function: size of an array/object/string)
 *
 * Definite paths ("reference paths" in the ASL spec) are the common case and are evaluated here, with
 * Jayway's error wording: a missing leaf is "No results for path: $['a']['b']", a missing intermediate
 * "Missing property in path $['a']". Indefinite paths are delegated to jsonpath-plus (maintained; its
 * filter syntax and results match Jayway's for the expressions ASL uses), always wrapped in a list.
 */
import { JSONPath } from 'jsonpath-plus';

export type Segment = { k: 'prop'; name: string } | { k: 'index'; i: number } | { k: 'length' };

export interface ParsedPath {
  readonly text: string;
  /** "$" reads the state's data, "$$" the context object. */
  readonly context: boolean;
  /** Definite path segments, or null for an indefinite path. */
  readonly segs: readonly Segment[] | null;
  /** For indefinite paths: the text jsonpath-plus evaluates (rooted at "$"). */
  readonly plusText?: string;
}

export class PathSyntaxError extends Error {}

const cache = new Map<string, ParsedPath>();

/** Parses (and caches) a path; throws PathSyntaxError when it is not a JSONPath. */
export function parsePath(text: string): ParsedPath {
  let p = cache.get(text);
  if (!p) {
    p = parseUncached(text);
    if (cache.size > 5000) cache.clear();
    cache.set(text, p);
  }
  return p;
}

export function isValidPath(text: string): boolean {
  try {
    parsePath(text);
    return true;
  } catch {
    return false;
  }
}

function parseUncached(text: string): ParsedPath {
  if (typeof text !== 'string' || !text.startsWith('$')) throw new PathSyntaxError(`not a JSONPath: ${text}`);
  const context = text.startsWith('$$');
  let i = context ? 2 : 1;
  const segs: Segment[] = [];
  let definite = true;
  const n = text.length;
  const fail = (why: string): never => {
    throw new PathSyntaxError(`invalid JSONPath ${text}: ${why}`);
  };
  while (i < n) {
    const c = text[i];
    if (c === '.') {
      if (text[i + 1] === '.') {
        definite = false;
        i += 2;
        if (text[i] === '[') continue;
        const m = /^(\*|[^.[\]\s]+)/.exec(text.slice(i));
        if (!m) fail('expected a name after ..');
        i += m![0].length;
        continue;
      }
      i++;
      if (text[i] === '[') continue; // Jayway accepts "$.[...]"
      if (text[i] === '*') {
        definite = false;
        i++;
        continue;
      }
      const m = /^[^.[\]]+/.exec(text.slice(i));
      if (!m) fail(`expected a name at ${i}`);
      const name = m![0];
      i += name.length;
      if (name === 'length()' && i === n) segs.push({ k: 'length' });
      else {
        if (/[()\s]/.test(name) && !/^[^()\s]+$/.test(name)) fail(`bad property name ${name}`);
        segs.push({ k: 'prop', name });
      }
      continue;
    }
    if (c === '[') {
      const close = findBracketEnd(text, i);
      if (close < 0) fail('unclosed [');
      const inner = text.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') {
        definite = false;
        continue;
      }
      if (inner.startsWith('?')) {
        if (!/^\?\s*\(.*\)$/s.test(inner)) fail('bad filter');
        definite = false;
        continue;
      }
      const names = splitQuotedNames(inner);
      if (names) {
        if (names.length === 1) segs.push({ k: 'prop', name: names[0] });
        else definite = false;
        continue;
      }
      if (/^-?\d+$/.test(inner)) {
        segs.push({ k: 'index', i: Number(inner) });
        continue;
      }
      if (/^(-?\d+\s*)(,\s*-?\d+\s*)+$/.test(inner) || /^(-?\d*)\s*:\s*(-?\d*)(\s*:\s*-?\d*)?$/.test(inner)) {
        definite = false;
        continue;
      }
      fail(`bad bracket expression [${inner}]`);
    }
    fail(`unexpected '${c}' at ${i}`);
  }
  return definite ? { text, context, segs } : { text, context, segs: null, plusText: context ? text.slice(1) : text };
}

function findBracketEnd(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = open; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      depth--;
      if (depth === 0 && ch === ']') return j;
    }
  }
  return -1;
}

/** "'a'" / "'a','b'" / "\"a\"" => names; anything else => null. */
function splitQuotedNames(inner: string): string[] | null {
  const out: string[] = [];
  let j = 0;
  while (j < inner.length) {
    while (inner[j] === ' ') j++;
    const q = inner[j];
    if (q !== "'" && q !== '"') return null;
    let name = '';
    j++;
    for (; j < inner.length && inner[j] !== q; j++) {
      if (inner[j] === '\\' && j + 1 < inner.length) j++;
      name += inner[j];
    }
    if (inner[j] !== q) return null;
    j++;
    out.push(name);
    while (inner[j] === ' ') j++;
    if (j < inner.length) {
      if (inner[j] !== ',') return null;
      j++;
    }
  }
  return out.length ? out : null;
}

/** Jayway's normalized rendering of a definite path prefix: $['a'][0]['b']. */
export function normalized(segs: readonly Segment[], upTo = segs.length): string {
  let s = '$';
  for (let j = 0; j < upTo; j++) {
    const g = segs[j];
    s += g.k === 'prop' ? `['${g.name}']` : g.k === 'index' ? `[${g.i}]` : '.length()';
  }
  return s;
}

export type ReadResult = { found: true; value: unknown } | { found: false; reason: string };

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Evaluates a parsed path against a document. Indefinite paths always succeed with a list. */
export function readParsed(p: ParsedPath, doc: unknown): ReadResult {
  if (!p.segs) {
    const value = JSONPath({ path: p.plusText ?? p.text, json: doc as object, wrap: true, eval: 'safe' }) as unknown[];
    return { found: true, value: value ?? [] };
  }
  let cur: unknown = doc;
  const segs = p.segs;
  for (let j = 0; j < segs.length; j++) {
    const g = segs[j];
    const last = j === segs.length - 1;
    if (g.k === 'length') {
      if (Array.isArray(cur) || typeof cur === 'string') return { found: true, value: cur.length };
      if (cur && typeof cur === 'object') return { found: true, value: Object.keys(cur).length };
      return { found: false, reason: `Invalid path '${p.text}' : length() applied to a value that has no length` };
    }
    if (g.k === 'prop') {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !hasOwn(cur, g.name)) {
        const what = last ? `No results for path: ${normalized(segs)}` : `Missing property in path ${normalized(segs, j + 1)}`;
        return { found: false, reason: `Invalid path '${p.text}' : ${what}` };
      }
      cur = (cur as Record<string, unknown>)[g.name];
    } else {
      if (!Array.isArray(cur)) return { found: false, reason: `Invalid path '${p.text}' : No results for path: ${normalized(segs)}` };
      const idx = g.i < 0 ? cur.length + g.i : g.i;
      if (idx < 0 || idx >= cur.length) return { found: false, reason: `Invalid path '${p.text}' : No results for path: ${normalized(segs)}` };
      cur = cur[idx];
    }
  }
  return { found: true, value: cur };
}

/** Reads a path where `$` is `data` and `$$` is `context`. */
export function read(text: string, data: unknown, context?: unknown): ReadResult {
  const p = parsePath(text);
  return readParsed(p, p.context ? context : data);
}

/**
 * ResultPath: returns a copy of `input` with `value` placed at the (definite) path, creating missing
 * intermediate objects as Step Functions does. "$" replaces the whole input.
 */
export function setPath(text: string, input: unknown, value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  const p = parsePath(text);
  if (!p.segs || p.context) return { ok: false, reason: `Invalid path '${text}' : ResultPath must be a reference path` };
  if (p.segs.length === 0) return { ok: true, value };
  const root: unknown = input !== null && typeof input === 'object' ? shallowClone(input) : {};
  if (input === null || typeof input !== 'object') {
    return { ok: false, reason: `Invalid path '${text}' : the input is not a JSON object, so ResultPath cannot place a result in it` };
  }
  let cur = root as Record<string, unknown> | unknown[];
  const segs = p.segs;
  for (let j = 0; j < segs.length; j++) {
    const g = segs[j];
    const last = j === segs.length - 1;
    if (g.k === 'length') return { ok: false, reason: `Invalid path '${text}' : length() cannot be a ResultPath` };
    if (g.k === 'prop') {
      if (Array.isArray(cur)) return { ok: false, reason: `Invalid path '${text}' : Missing property in path ${normalized(segs, j + 1)}` };
      if (last) {
        cur[g.name] = value;
        break;
      }
      const next = cur[g.name];
      const child = next !== null && typeof next === 'object' ? shallowClone(next) : {};
      cur[g.name] = child;
      cur = child as Record<string, unknown>;
    } else {
      if (!Array.isArray(cur)) return { ok: false, reason: `Invalid path '${text}' : No results for path: ${normalized(segs, j + 1)}` };
      const idx = g.i < 0 ? cur.length + g.i : g.i;
      if (idx < 0 || idx >= cur.length) return { ok: false, reason: `Invalid path '${text}' : Index ${g.i} out of bounds` };
      if (last) {
        cur[idx] = value;
        break;
      }
      const next = cur[idx];
      const child = next !== null && typeof next === 'object' ? shallowClone(next) : {};
      cur[idx] = child;
      cur = child as Record<string, unknown>;
    }
  }
  return { ok: true, value: root };
}

function shallowClone(v: object): object {
  return Array.isArray(v) ? v.slice() : { ...v };
}
