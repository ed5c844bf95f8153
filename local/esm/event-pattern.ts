/**
 * Event patterns as Lambda event filtering and EventBridge rules use them: a pattern matches
 * when every field it names matches. A leaf is a list of alternatives: literal values, or
 * operators `{prefix}`, `{suffix}`, `{anything-but}`, `{exists}`, `{numeric: [op, n, ...]}`.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function matchLeaf(alternatives: Json[], value: Json | undefined, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value as Json];
  return alternatives.some((alt) => {
    if (alt !== null && typeof alt === 'object' && !Array.isArray(alt)) {
      const [op, arg] = Object.entries(alt)[0] ?? [];
      switch (op) {
        case 'exists':
          return Boolean(arg) === present;
        case 'prefix':
          return values.some((v) => typeof v === 'string' && v.startsWith(String(arg)));
        case 'suffix':
          return values.some((v) => typeof v === 'string' && v.endsWith(String(arg)));
        case 'anything-but': {
          const banned = Array.isArray(arg) ? arg : [arg];
          return present && values.every((v) => !banned.includes(v as Json));
        }
        case 'numeric': {
          const ops = arg as Array<string | number>;
          return values.some((v) => {
            if (typeof v !== 'number') return false;
            for (let i = 0; i < ops.length; i += 2) {
              const n = Number(ops[i + 1]);
              const ok = { '=': v === n, '<': v < n, '<=': v <= n, '>': v > n, '>=': v >= n }[String(ops[i])];
              if (!ok) return false;
            }
            return true;
          });
        }
        default:
          return false;
      }
    }
    return present && values.some((v) => v === alt);
  });
}

export function matchesPattern(pattern: Record<string, Json>, event: unknown): boolean {
  if (event === null || typeof event !== 'object') return false;
  const obj = event as Record<string, Json>;
  return Object.entries(pattern).every(([key, rule]) => {
    const present = key in obj;
    if (Array.isArray(rule)) return matchLeaf(rule, obj[key], present);
    if (rule !== null && typeof rule === 'object') return present && matchesPattern(rule as Record<string, Json>, obj[key]);
    return false;
  });
}

/** Lambda FilterCriteria: an event passes when any filter's pattern matches it; no filters = all pass. */
export function passesFilters(filters: Array<Record<string, Json>>, event: unknown): boolean {
  return filters.length === 0 || filters.some((f) => matchesPattern(f, event));
}
