/**
 * CloudWatch Logs filter patterns (FilterLogEvents' `filterPattern`), compiled once into a
 * predicate over an event's message.
 *
 * - Terms: `ERROR timeout` (every term, case-sensitive, anywhere in the message), `"exact phrase"`,
 *   `?ERROR ?WARN` (any of the `?` terms), `-DEBUG` (excluded term).
 * - JSON: `{ $.level = "ERROR" }`, `{ $.latency > 100 }`, `{ $.order_id = "o-*" }` (`*` wildcard),
 *   `{ $.a.b[0] != 1 }`, `{ $.x IS TRUE }`, `{ $.x IS NULL }`, `{ $.x NOT EXISTS }`, `{ $.x EXISTS }`,
 *   combined with `&&`, `||` and parentheses. A message that is not JSON (or whose JSON follows the
 *   runtime's prefix) is matched on the object it contains.
 * - Regular expression: `%ERROR|WARN%`.
 *
 * Space-delimited patterns (`[ip, user, ...]`) are refused with InvalidParameterException.
 */

export type MessagePredicate = (message: string) => boolean;

export class FilterPatternError extends Error {}

export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const p = (pattern ?? '').trim();
  if (!p || p === '""') return () => true;
  if (p.startsWith('{')) return jsonPattern(p);
  if (p.startsWith('[')) throw new FilterPatternError('Space-delimited filter patterns are not supported by the local CloudWatch Logs');
  if (p.startsWith('%') && p.endsWith('%') && p.length > 2) {
    let re: RegExp;
    try {
      re = new RegExp(p.slice(1, -1));
    } catch (err) {
      throw new FilterPatternError(`Invalid regular expression: ${(err as Error).message}`);
    }
    return (m) => re.test(m);
  }
  return termPattern(p);
}

function termPattern(p: string): MessagePredicate {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
    (m[1] === '?' ? any : m[1] === '-' ? none : all).push(term);
  }
  return (msg) => all.every((t) => msg.includes(t)) && (!any.length || any.some((t) => msg.includes(t))) && !none.some((t) => msg.includes(t));
}

type Cond = (doc: unknown) => boolean;

function jsonPattern(p: string): MessagePredicate {
  const body = p.replace(/^\{/, '').replace(/\}$/, '').trim();
  if (!p.endsWith('}')) throw new FilterPatternError('Invalid filter pattern: missing }');
  let i = 0;
  const src = body;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const expr = (): Cond => {
    let left = term();
    for (;;) {
      ws();
      if (src.startsWith('||', i)) {
        i += 2;
        const l = left;
        const r = term();
        left = (d) => l(d) || r(d);
      } else return left;
    }
  };
  const term = (): Cond => {
    let left = factor();
    for (;;) {
      ws();
      if (src.startsWith('&&', i)) {
        i += 2;
        const l = left;
        const r = factor();
        left = (d) => l(d) && r(d);
      } else return left;
    }
  };
  const factor = (): Cond => {
    ws();
    if (src[i] === '(') {
      i++;
      const e = expr();
      ws();
      if (src[i] !== ')') throw new FilterPatternError('Invalid filter pattern: missing )');
      i++;
      return e;
    }
    return comparison();
  };
  const comparison = (): Cond => {
    ws();
    const sel = /^\$((?:\.[A-Za-z0-9_@$-]+|\[\d+\])*)/.exec(src.slice(i));
    if (!sel) throw new FilterPatternError(`Invalid filter pattern: expected a selector ($.field) at ${i}`);
    i += sel[0].length;
    const path = [...sel[1]!.matchAll(/\.([A-Za-z0-9_@$-]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    const get = (d: unknown): { found: boolean; v: unknown } => {
      let cur: unknown = d;
      for (const k of path) {
        if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return { found: false, v: undefined };
        cur = (cur as Record<string | number, unknown>)[k];
      }
      return { found: true, v: cur };
    };
    ws();
    const rest = src.slice(i);
    const kw = /^(IS\s+(TRUE|FALSE|NULL)|NOT\s+EXISTS|EXISTS)\b/i.exec(rest);
    if (kw) {
      i += kw[0].length;
      const k = kw[0].toUpperCase().replace(/\s+/g, ' ');
      if (k === 'IS TRUE') return (d) => get(d).v === true;
      if (k === 'IS FALSE') return (d) => get(d).v === false;
      if (k === 'IS NULL') return (d) => get(d).found && get(d).v === null;
      if (k === 'NOT EXISTS') return (d) => !get(d).found;
      return (d) => get(d).found;
    }
    const op = /^(=|!=|<=|>=|<|>)/.exec(rest)?.[1];
    if (!op) throw new FilterPatternError(`Invalid filter pattern: expected an operator at ${i}`);
    i += op.length;
    ws();
    const str = /^"((?:[^"\\]|\\.)*)"/.exec(src.slice(i));
    if (str) {
      i += str[0].length;
      if (op !== '=' && op !== '!=') throw new FilterPatternError('Strings compare only with = and !=');
      const want = str[1]!.replace(/\\(.)/g, '$1');
      const re = new RegExp(`^${want.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      const eq = (d: unknown) => {
        const { v } = get(d);
        return (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && re.test(String(v));
      };
      return op === '=' ? eq : (d) => get(d).found && !eq(d);
    }
    const num = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      const want = Number(num[0]);
      return (d) => {
        const { v } = get(d);
        if (typeof v !== 'number') return op === '!=' && get(d).found;
        switch (op) {
          case '=':
            return v === want;
          case '!=':
            return v !== want;
          case '<':
            return v < want;
          case '<=':
            return v <= want;
          case '>':
            return v > want;
          default:
            return v >= want;
        }
      };
    }
    const bare = /^[A-Za-z0-9_*.:/-]+/.exec(src.slice(i));
    if (bare) {
      // unquoted strings are allowed where they contain no spaces
      i += bare[0].length;
      const re = new RegExp(`^${bare[0].split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      const eq = (d: unknown) => {
        const { v } = get(d);
        return v !== undefined && v !== null && re.test(String(v));
      };
      if (op === '=') return eq;
      if (op === '!=') return (d) => get(d).found && !eq(d);
    }
    throw new FilterPatternError(`Invalid filter pattern: expected a value at ${i}`);
  };
  const cond = expr();
  ws();
  if (i < src.length) throw new FilterPatternError(`Invalid filter pattern: unexpected ${src.slice(i, i + 10)}`);
  return (message) => {
    const brace = message.indexOf('{');
    if (brace < 0) return false;
    try {
      return cond(JSON.parse(message.slice(brace)));
    } catch {
      return false;
    }
  };
}
