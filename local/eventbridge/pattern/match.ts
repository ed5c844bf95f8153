/**
 * Matching a compiled pattern against an event.
 *
 * The event is flattened once into dotted paths → leaf values (strings, numbers, booleans, null),
 * as Ruler does: objects inside arrays are "crushed" into their parent's path, an empty array or
 * object contributes no value. Each leaf remembers which element of which array it came from, so
 * that a pattern naming two fields of the array's objects only matches when both come from the
 * same element (Ruler's array consistency: {"employees": {"first": ["Anna"], "last": ["Jones"]}}
 * does not match Anna Smith and Peter Jones).
 *
 * Per value, as Ruler evaluates them:
 *   - exact strings, prefix, suffix, equals-ignore-case and wildcard only match strings;
 *   - exact numbers and numeric ranges only match numbers (compared as doubles: 300 = 3.0e2);
 *   - null, true and false only match themselves; "" and null are different values;
 *   - `exists: true` matches any leaf value (null included); `exists: false` holds when the path
 *     has no leaf value at all (absent, an empty array, or only an object below it);
 *   - the anything-but forms need a value and match every value they do not exclude (a number or
 *     null passes a string exclusion, a string passes a numeric one);
 *   - an array in the event matches when any of its elements does.
 */
import type { CompiledPattern, Matcher, PatternField } from './compile';
import { globMatches, ipKey } from './values';

export type Leaf = string | number | boolean | null;

export interface FlatValue {
  value: Leaf;
  /** pairs (array id, element index) for each array the value sits in; empty when none */
  arrays: readonly number[];
}

export type FlatEvent = Map<string, FlatValue[]>;

const NO_ARRAYS: readonly number[] = [];

export function flattenEvent(event: unknown): FlatEvent {
  const out: FlatEvent = new Map();
  let nextArrayId = 0;
  const walk = (node: unknown, path: string, arrays: readonly number[]): void => {
    if (Array.isArray(node)) {
      const id = nextArrayId++;
      for (let i = 0; i < node.length; i++) walk(node[i], path, [...arrays, id, i]);
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, arrays);
    } else if (path !== '' && (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean')) {
      let list = out.get(path);
      if (!list) out.set(path, (list = []));
      list.push({ value: node, arrays: arrays.length ? arrays : NO_ARRAYS });
    }
  };
  walk(event, '', NO_ARRAYS);
  return out;
}

function lowerOf(v: string): string {
  return v.toLowerCase();
}

/** Whether one matcher accepts one leaf value (absence is handled by the caller). */
export function matcherAccepts(m: Matcher, v: Leaf): boolean {
  switch (m.type) {
    case 'exact':
      return v === m.value;
    case 'ip': {
      if (typeof v !== 'string') return false;
      const k = ipKey(v);
      return k !== null && k.family === m.range.family && k.key >= m.range.low && k.key <= m.range.high;
    }
    case 'prefix':
      return typeof v === 'string' && (m.ignoreCase ? lowerOf(v).startsWith(m.value) : v.startsWith(m.value));
    case 'suffix':
      return typeof v === 'string' && (m.ignoreCase ? lowerOf(v).endsWith(m.value) : v.endsWith(m.value));
    case 'equals-ignore-case':
      return typeof v === 'string' && lowerOf(v) === m.value;
    case 'wildcard':
      return typeof v === 'string' && globMatches(m.glob, v);
    case 'numeric':
      return (
        typeof v === 'number' &&
        (m.lowOpen ? v > m.low : v >= m.low) &&
        (m.highOpen ? v < m.high : v <= m.high)
      );
    case 'exists':
      return m.value;
    case 'anything-but':
      if (typeof v === 'string') return !m.strings.has(v);
      if (typeof v === 'number') return !m.numbers.includes(v);
      return true;
    case 'anything-but-prefix':
      return typeof v !== 'string' || !m.values.some((p) => v.startsWith(p));
    case 'anything-but-suffix':
      return typeof v !== 'string' || !m.values.some((p) => v.endsWith(p));
    case 'anything-but-equals-ignore-case':
      return typeof v !== 'string' || !m.values.includes(lowerOf(v));
    case 'anything-but-wildcard':
      return typeof v !== 'string' || !m.globs.some((g) => globMatches(g, v));
  }
}

/** Whether a field can be satisfied at all: 0 no, 1 yes without arrays involved, 2 yes but by values in arrays. */
function fieldState(field: PatternField, flat: FlatEvent): 0 | 1 | 2 {
  const values = flat.get(field.path);
  if (values === undefined || values.length === 0) {
    for (const m of field.matchers) if (m.type === 'exists' && !m.value) return 1;
    return 0;
  }
  let state: 0 | 1 | 2 = 0;
  for (const fv of values) {
    for (const m of field.matchers) {
      if (matcherAccepts(m, fv.value)) {
        if (fv.arrays.length === 0) return 1;
        state = 2;
        break;
      }
    }
  }
  return state;
}

function candidates(field: PatternField, flat: FlatEvent): FlatValue[] | null {
  const values = flat.get(field.path);
  if (!values || values.length === 0) return null; // satisfied by absence: no array constraint
  const out: FlatValue[] = [];
  for (const fv of values) {
    for (const m of field.matchers) {
      if (matcherAccepts(m, fv.value)) {
        out.push(fv);
        break;
      }
    }
  }
  return out;
}

function matchBranch(fields: readonly PatternField[], flat: FlatEvent): boolean {
  // first, cheaply: can every field be satisfied, and do arrays come into it?
  let arraysInvolved = 0;
  for (const f of fields) {
    const s = fieldState(f, flat);
    if (s === 0) return false;
    if (s === 2) arraysInvolved++;
  }
  if (arraysInvolved < 2) return true;
  const lists: FlatValue[][] = [];
  for (const f of fields) {
    const c = candidates(f, flat);
    if (c !== null && c.some((fv) => fv.arrays.length > 0) && c.every((fv) => fv.arrays.length > 0)) lists.push(c);
  }
  if (lists.length < 2) return true;
  // pick one candidate per field so that no array is entered at two different elements
  const chosen = new Map<number, number>();
  const pick = (i: number): boolean => {
    if (i === lists.length) return true;
    for (const fv of lists[i]) {
      const added: number[] = [];
      let ok = true;
      for (let j = 0; j < fv.arrays.length; j += 2) {
        const at = chosen.get(fv.arrays[j]);
        if (at === undefined) {
          chosen.set(fv.arrays[j], fv.arrays[j + 1]);
          added.push(fv.arrays[j]);
        } else if (at !== fv.arrays[j + 1]) {
          ok = false;
          break;
        }
      }
      if (ok && pick(i + 1)) return true;
      for (const id of added) chosen.delete(id);
    }
    return false;
  };
  return pick(0);
}

export function matchesFlattened(pattern: CompiledPattern, flat: FlatEvent): boolean {
  for (const branch of pattern.branches) if (matchBranch(branch, flat)) return true;
  return false;
}

export function matchesEvent(pattern: CompiledPattern, event: unknown): boolean {
  return matchesFlattened(pattern, flattenEvent(event));
}
