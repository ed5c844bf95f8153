/**
 * EventBridge event patterns, complete: exact values, prefix/suffix (and their ignore-case forms),
 * equals-ignore-case, wildcard, anything-but (value, list, prefix, suffix, equals-ignore-case,
 * wildcard), numeric ranges, exists, cidr, `$or`, null and "" matching, arrays. Pure: no I/O.
 *
 *   const p = compileEventPattern('{"source": ["orders"]}');   // throws EventPatternError
 *   matchesEvent(p, event);                                     // boolean
 *
 * Other emulators (Lambda event filtering, EventBridge Pipes) use the same language through
 * `matchesPattern` / `passesFilters`, which take the pattern as an object.
 */
import { compileEventPattern, type CompiledPattern } from './compile';
import { matchesEvent } from './match';

export { compileEventPattern, EventPatternError, type CompiledPattern, type Matcher, type PatternField } from './compile';
export { PatternIndex } from './pattern-index';
export { flattenEvent, matchesEvent, matchesFlattened, matcherAccepts, type FlatEvent, type FlatValue, type Leaf } from './match';

const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 1000;

function compiled(text: string): CompiledPattern {
  let p = cache.get(text);
  if (!p) {
    p = compileEventPattern(text);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(text, p);
  }
  return p;
}

/** Whether `event` matches `pattern` (an object or its JSON text); throws EventPatternError. */
export function matchesPattern(pattern: object | string, event: unknown): boolean {
  return matchesEvent(compiled(typeof pattern === 'string' ? pattern : JSON.stringify(pattern)), event);
}

/** Lambda FilterCriteria: an event passes when any filter's pattern matches it; no filters = all pass. */
export function passesFilters(filters: ReadonlyArray<object | string>, event: unknown): boolean {
  return filters.length === 0 || filters.some((f) => matchesPattern(f, event));
}
