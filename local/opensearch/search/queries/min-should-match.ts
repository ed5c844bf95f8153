// OpenSearch's minimum_should_match specification: 2, -1, "75%", "-25%", "3<90%", "2<-25% 9<-3".
import { OpenSearchError } from '../../errors';

function apply(n: number, spec: string): number {
  const s = spec.trim();
  if (s.endsWith('%')) {
    const p = Number(s.slice(0, -1));
    if (Number.isNaN(p)) throw new OpenSearchError('illegal_argument_exception', `Invalid minimum_should_match value [${spec}]`, 400);
    const v = Math.floor((n * Math.abs(p)) / 100);
    return p < 0 ? n - v : v;
  }
  const k = Number(s);
  if (!Number.isInteger(k)) throw new OpenSearchError('illegal_argument_exception', `Invalid minimum_should_match value [${spec}]`, 400);
  return k < 0 ? n + k : k;
}

/** Number of optional clauses that must match out of `n`. */
export function minShouldMatch(n: number, spec: unknown): number {
  if (spec === undefined || spec === null) return 0;
  const str = String(spec).trim();
  let result: number;
  if (str.includes('<')) {
    result = n;
    for (const part of str.split(/\s+/)) {
      const [cond, val] = part.split('<');
      if (n > Number(cond)) result = apply(n, val);
    }
  } else result = apply(n, str);
  return Math.max(0, result);
}
