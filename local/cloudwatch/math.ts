/**
 * Metric math (GetMetricData and alarms' `Expression`), over time series keyed by period start.
 *
 *   expr    := cmp (("AND" | "&&" | "OR" | "||") cmp)*
 *   cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
 *   sum     := product (("+" | "-") product)*
 *   product := power (("*" | "/") power)*
 *   power   := unary ("^" unary)?
 *   unary   := "-" unary | atom
 *   atom    := number | id | "(" expr ")" | FUNC "(" [expr ("," expr)*] ")" | string
 *
 * Functions: SUM, AVG, MIN, MAX (of an array: point by point; of a series: one value), METRICS([filter]),
 * FILL(series, value | REPEAT), RATE, DIFF, ABS, CEIL, FLOOR, SQRT, LOG, LOG10, IF(cond, a[, b]),
 * PERIOD(series). Series combine point by point where both have a datapoint; a scalar combines
 * with every point. Anything else answers the ValidationError CloudWatch gives for a bad expression.
 */

export type TimeSeries = Map<number, number>; // period start ms -> value
export type MathValue = { kind: 'scalar'; v: number } | { kind: 'series'; s: TimeSeries; period: number } | { kind: 'array'; items: Array<{ s: TimeSeries; period: number }> } | { kind: 'string'; v: string };

export class MathError extends Error {}

export interface MathContext {
  /** the result of another query by id */
  series(id: string): { s: TimeSeries; period: number } | undefined;
  /** the ids of the MetricStat queries, for METRICS() */
  metricIds(): string[];
  /** every period start in the query's range, for FILL */
  timestamps(period: number): number[];
}

type Node =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'neg'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'call'; f: string; args: Node[] };

function tokenize(src: string): string[] {
  const re = /\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|==|!=|<=|>=|&&|\|\||[-+*/^(),<>])/y;
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new MathError(`Unexpected character at position ${i + 1}`);
    out.push(m[1]!);
    i = re.lastIndex;
  }
  return out;
}

export function parseExpression(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const take = (x?: string) => {
    const t = toks[i++];
    if (t === undefined || (x !== undefined && t !== x)) throw new MathError(`Syntax error${x ? `: expected ${x}` : ''}`);
    return t;
  };
  const expr = (): Node => {
    let l = cmp();
    for (let t = peek(); t && ['AND', '&&', 'OR', '||'].includes(t.toUpperCase()); t = peek()) {
      i++;
      l = { t: 'bin', op: t === '&&' || t.toUpperCase() === 'AND' ? 'AND' : 'OR', l, r: cmp() };
    }
    return l;
  };
  const cmp = (): Node => {
    const l = sum();
    const t = peek();
    if (t && ['==', '!=', '<', '<=', '>', '>='].includes(t)) {
      i++;
      return { t: 'bin', op: t, l, r: sum() };
    }
    return l;
  };
  const sum = (): Node => {
    let l = product();
    for (let t = peek(); t === '+' || t === '-'; t = peek()) {
      i++;
      l = { t: 'bin', op: t, l, r: product() };
    }
    return l;
  };
  const product = (): Node => {
    let l = power();
    for (let t = peek(); t === '*' || t === '/'; t = peek()) {
      i++;
      l = { t: 'bin', op: t, l, r: power() };
    }
    return l;
  };
  const power = (): Node => {
    const l = unary();
    if (peek() === '^') {
      i++;
      return { t: 'bin', op: '^', l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      i++;
      return { t: 'neg', e: unary() };
    }
    return atom();
  };
  const atom = (): Node => {
    const t = take();
    if (/^\d/.test(t)) return { t: 'num', v: Number(t) };
    if (t.startsWith('"')) return { t: 'str', v: JSON.parse(t) as string };
    if (t === '(') {
      const e = expr();
      take(')');
      return e;
    }
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        i++;
        const args: Node[] = [];
        if (peek() !== ')') {
          args.push(expr());
          while (peek() === ',') {
            i++;
            args.push(expr());
          }
        }
        take(')');
        return { t: 'call', f: t.toUpperCase(), args };
      }
      return { t: 'id', v: t };
    }
    throw new MathError(`Syntax error near ${t}`);
  };
  const n = expr();
  if (i < toks.length) throw new MathError(`Syntax error near ${toks[i]}`);
  return n;
}

/** The ids an expression refers to (to order queries and catch cycles). */
export function referencedIds(n: Node): string[] {
  switch (n.t) {
    case 'id':
      return [n.v];
    case 'neg':
      return referencedIds(n.e);
    case 'bin':
      return [...referencedIds(n.l), ...referencedIds(n.r)];
    case 'call':
      return n.args.flatMap(referencedIds);
    default:
      return [];
  }
}

const usesMetrics = (n: Node): boolean => (n.t === 'call' ? n.f === 'METRICS' || n.args.some(usesMetrics) : n.t === 'bin' ? usesMetrics(n.l) || usesMetrics(n.r) : n.t === 'neg' ? usesMetrics(n.e) : false);
export { usesMetrics };

function binop(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case 'AND':
      return a && b ? 1 : 0;
    default:
      return a || b ? 1 : 0;
  }
}

function mapSeries(s: TimeSeries, f: (v: number, t: number) => number | undefined): TimeSeries {
  const out: TimeSeries = new Map();
  for (const [t, v] of s) {
    const r = f(v, t);
    if (r !== undefined && Number.isFinite(r)) out.set(t, r);
  }
  return out;
}

function combine(op: string, a: MathValue, b: MathValue): MathValue {
  if (a.kind === 'string' || b.kind === 'string') throw new MathError('Strings are only valid as arguments of METRICS()');
  if (a.kind === 'array' || b.kind === 'array') {
    const arr = a.kind === 'array' ? a : (b as Extract<MathValue, { kind: 'array' }>);
    return { kind: 'array', items: arr.items.map((it) => asSeries(combine(op, a.kind === 'array' ? { kind: 'series', ...it } : a, b.kind === 'array' ? { kind: 'series', ...it } : b))) };
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', v: binop(op, a.v, b.v) };
  if (a.kind === 'series' && b.kind === 'scalar') return { kind: 'series', period: a.period, s: mapSeries(a.s, (v) => binop(op, v, b.v)) };
  if (a.kind === 'scalar' && b.kind === 'series') return { kind: 'series', period: b.period, s: mapSeries(b.s, (v) => binop(op, a.v, v)) };
  const sa = a as Extract<MathValue, { kind: 'series' }>;
  const sb = b as Extract<MathValue, { kind: 'series' }>;
  return { kind: 'series', period: sa.period, s: mapSeries(sa.s, (v, t) => (sb.s.has(t) ? binop(op, v, sb.s.get(t)!) : undefined)) };
}

function asSeries(v: MathValue): { s: TimeSeries; period: number } {
  if (v.kind !== 'series') throw new MathError('Expected a time series');
  return { s: v.s, period: v.period };
}

function aggregate(f: string, v: MathValue): MathValue {
  const reduce = (xs: number[]) =>
    f === 'SUM' ? xs.reduce((a, b) => a + b, 0) : f === 'AVG' ? xs.reduce((a, b) => a + b, 0) / xs.length : f === 'MIN' ? Math.min(...xs) : Math.max(...xs);
  if (v.kind === 'array') {
    const times = new Set<number>();
    for (const it of v.items) for (const t of it.s.keys()) times.add(t);
    const out: TimeSeries = new Map();
    for (const t of [...times].sort((a, b) => a - b)) {
      const xs = v.items.map((it) => it.s.get(t)).filter((x): x is number => x !== undefined);
      if (xs.length) out.set(t, reduce(xs));
    }
    return { kind: 'series', s: out, period: v.items[0]?.period ?? 60 };
  }
  if (v.kind === 'series') return { kind: 'scalar', v: v.s.size ? reduce([...v.s.values()]) : NaN };
  if (v.kind === 'scalar') return v;
  throw new MathError(`${f} takes a time series or an array of them`);
}

export function evaluate(n: Node, ctx: MathContext): MathValue {
  switch (n.t) {
    case 'num':
      return { kind: 'scalar', v: n.v };
    case 'str':
      return { kind: 'string', v: n.v };
    case 'id': {
      const s = ctx.series(n.v);
      if (!s) throw new MathError(`Unrecognized metric id: ${n.v}`);
      return { kind: 'series', ...s };
    }
    case 'neg':
      return combine('*', { kind: 'scalar', v: -1 }, evaluate(n.e, ctx));
    case 'bin':
      return combine(n.op, evaluate(n.l, ctx), evaluate(n.r, ctx));
    case 'call':
      return call(n.f, n.args, ctx);
  }
}

function call(f: string, args: Node[], ctx: MathContext): MathValue {
  const arg = (i: number) => {
    const a = args[i];
    if (!a) throw new MathError(`${f} needs more arguments`);
    return evaluate(a, ctx);
  };
  switch (f) {
    case 'METRICS': {
      const filter = args.length ? arg(0) : undefined;
      if (filter && filter.kind !== 'string') throw new MathError('METRICS() takes a string');
      const ids = ctx.metricIds().filter((id) => !filter || id.includes(filter.v));
      return { kind: 'array', items: ids.map((id) => ctx.series(id)!).filter(Boolean) };
    }
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX':
      return aggregate(f, args.length === 1 ? arg(0) : { kind: 'array', items: args.map((_, i) => asSeries(arg(i))) });
    case 'FILL': {
      const s = arg(0);
      const how = args[1];
      const fillOne = (x: { s: TimeSeries; period: number }) => {
        const out: TimeSeries = new Map();
        let last: number | undefined;
        const constant = how && how.t !== 'id' ? evaluate(how, ctx) : undefined;
        if (constant && constant.kind !== 'scalar') throw new MathError('FILL takes a number or REPEAT');
        const repeat = how?.t === 'id' && how.v.toUpperCase() === 'REPEAT';
        if (how?.t === 'id' && !repeat) throw new MathError('FILL takes a number or REPEAT');
        for (const t of ctx.timestamps(x.period)) {
          const v = x.s.get(t);
          if (v !== undefined) {
            out.set(t, v);
            last = v;
          } else if (repeat) {
            if (last !== undefined) out.set(t, last);
          } else out.set(t, constant ? constant.v : 0);
        }
        return { s: out, period: x.period };
      };
      if (s.kind === 'array') return { kind: 'array', items: s.items.map(fillOne) };
      return { kind: 'series', ...fillOne(asSeries(s)) };
    }
    case 'RATE':
    case 'DIFF': {
      const x = asSeries(arg(0));
      const out: TimeSeries = new Map();
      let prev: [number, number] | undefined;
      for (const [t, v] of [...x.s].sort((a, b) => a[0] - b[0])) {
        if (prev) out.set(t, f === 'DIFF' ? v - prev[1] : (v - prev[1]) / ((t - prev[0]) / 1000));
        prev = [t, v];
      }
      return { kind: 'series', s: out, period: x.period };
    }
    case 'ABS':
    case 'CEIL':
    case 'FLOOR':
    case 'SQRT':
    case 'LOG':
    case 'LOG10': {
      const fn = { ABS: Math.abs, CEIL: Math.ceil, FLOOR: Math.floor, SQRT: Math.sqrt, LOG: Math.log, LOG10: Math.log10 }[f];
      const v = arg(0);
      if (v.kind === 'scalar') return { kind: 'scalar', v: fn(v.v) };
      const x = asSeries(v);
      return { kind: 'series', s: mapSeries(x.s, fn), period: x.period };
    }
    case 'PERIOD': {
      const x = asSeries(arg(0));
      return { kind: 'scalar', v: x.period };
    }
    case 'IF': {
      const cond = arg(0);
      const a = arg(1);
      const b = args[2] ? arg(2) : undefined;
      const c = asSeries(cond);
      const at = (v: MathValue, t: number) => (v.kind === 'scalar' ? v.v : v.kind === 'series' ? v.s.get(t) : undefined);
      return { kind: 'series', period: c.period, s: mapSeries(c.s, (cv, t) => (cv ? at(a, t) : b ? at(b, t) : undefined)) };
    }
    default:
      throw new MathError(`Unknown function ${f}`);
  }
}
