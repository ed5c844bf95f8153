/**
 * X-Ray filter expressions (GetTraceSummaries' `FilterExpression`), parsed once into a predicate
 * over a trace's facts.
 *
 *   expr      := or
 *   or        := and ( ("OR" | "||") and )*
 *   and       := unary ( ("AND" | "&&") unary )*
 *   unary     := ("NOT" | "!") unary | "(" expr ")" | predicate
 *   predicate := "service" "(" [string] ")"
 *              | "id" "(" ("name" ":" string | "type" ":" string) ("," ...)* ")"
 *              | ("ok" | "error" | "fault" | "throttle" | "partial") [("=" | "!=") bool]
 *              | ("responsetime" | "duration" | "http.status") numop number
 *              | ("http.url" | "http.method" | "http.useragent" | "http.clientip" | "user") strop string
 *              | "annotation." key [op value]      (also annotation[key]; alone: the key is present)
 *   numop     := "=" | "!=" | "<" | "<=" | ">" | ">="
 *   strop     := "=" | "!=" | "CONTAINS" | "BEGINSWITH" | "ENDSWITH"
 *
 * Keywords are case-insensitive; strings are double-quoted. What AWS offers beyond this (edge(),
 * rootcause.*, group.*, `service() { … }` sub-filters) is refused with InvalidRequestException.
 */
import type { TraceFacts } from './summary';

export type Predicate = (f: TraceFacts) => boolean;

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Tok = { k: 'word'; v: string } | { k: 'str'; v: string } | { k: 'num'; v: number } | { k: 'op'; v: string } | { k: 'punct'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new FilterSyntaxError(`unterminated string at ${i}`);
      out.push({ k: 'str', v: s });
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push(two === '&&' || two === '||' ? { k: 'word', v: two === '&&' ? 'and' : 'or' } : { k: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>'.includes(c)) {
      out.push({ k: 'op', v: c });
      i++;
      continue;
    }
    if (c === '!') {
      out.push({ k: 'word', v: 'not' });
      i++;
      continue;
    }
    if ('(),:{}[]'.includes(c)) {
      out.push({ k: 'punct', v: c });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num && (c === '-' || /\d/.test(c))) {
      out.push({ k: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (word) {
      out.push({ k: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character '${c}' at ${i}`);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): Predicate {
    const p = this.or();
    if (this.i < this.toks.length) throw new FilterSyntaxError(`unexpected ${JSON.stringify(this.toks[this.i]!.v)}`);
    return p;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t?.k === 'word' && t.v.toLowerCase() === w;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t?.k === 'punct' && t.v === p;
  }
  private expectPunct(p: string): void {
    if (!this.isPunct(p)) throw new FilterSyntaxError(`expected '${p}'`);
    this.i++;
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new FilterSyntaxError('unexpected end of expression');
    return t;
  }

  private or(): Predicate {
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      const l = left;
      const r = this.and();
      left = (f) => l(f) || r(f);
    }
    return left;
  }

  private and(): Predicate {
    let left = this.unary();
    while (this.isWord('and')) {
      this.i++;
      const l = left;
      const r = this.unary();
      left = (f) => l(f) && r(f);
    }
    return left;
  }

  private unary(): Predicate {
    if (this.isWord('not')) {
      this.i++;
      const p = this.unary();
      return (f) => !p(f);
    }
    if (this.isPunct('(')) {
      this.i++;
      const p = this.or();
      this.expectPunct(')');
      return p;
    }
    return this.predicate();
  }

  private predicate(): Predicate {
    const t = this.next();
    if (t.k !== 'word') throw new FilterSyntaxError(`expected a keyword, found ${JSON.stringify(t.v)}`);
    const word = t.v.toLowerCase();
    if (word === 'service') return this.service();
    if (word === 'id') return this.idFn();
    if (['ok', 'error', 'fault', 'throttle', 'partial'].includes(word)) return this.flag(word);
    if (word === 'responsetime' || word === 'duration' || word === 'http.status') {
      const op = this.op(NUM_OPS);
      const v = this.next();
      if (v.k !== 'num') throw new FilterSyntaxError(`${word} compares with a number`);
      const get = word === 'responsetime' ? (f: TraceFacts) => f.responseTime : word === 'duration' ? (f: TraceFacts) => f.duration : (f: TraceFacts) => f.http?.HttpStatus;
      return (f) => {
        const x = get(f);
        return x !== undefined && compare(x, op, v.v);
      };
    }
    const strField: Record<string, (f: TraceFacts) => string[]> = {
      'http.url': (f) => (f.http?.HttpURL ? [f.http.HttpURL] : []),
      'http.method': (f) => (f.http?.HttpMethod ? [f.http.HttpMethod] : []),
      'http.useragent': (f) => (f.http?.UserAgent ? [f.http.UserAgent] : []),
      'http.clientip': (f) => (f.http?.ClientIp ? [f.http.ClientIp] : []),
      user: (f) => f.users,
    };
    if (strField[word]) {
      const get = strField[word]!;
      const op = this.op(STR_OPS);
      const v = this.next();
      if (v.k !== 'str') throw new FilterSyntaxError(`${word} compares with a string`);
      return op === '!=' ? (f) => !get(f).includes(v.v) : (f) => get(f).some((x) => compareString(x, op, v.v));
    }
    if (word.startsWith('annotation.') || word === 'annotation') return this.annotation(word === 'annotation' ? undefined : t.v.slice('annotation.'.length));
    throw new FilterSyntaxError(`unsupported keyword ${t.v}`);
  }

  private service(): Predicate {
    this.expectPunct('(');
    let name: string | undefined;
    const t = this.peek();
    if (t?.k === 'str') {
      name = t.v;
      this.i++;
    }
    this.expectPunct(')');
    if (this.isPunct('{')) throw new FilterSyntaxError('service() sub-filters are not supported locally');
    return name === undefined ? (f) => f.services.length > 0 : (f) => f.services.some((s) => s.Name === name || s.Names.includes(name!));
  }

  private idFn(): Predicate {
    this.expectPunct('(');
    const want: { name?: string; type?: string } = {};
    for (;;) {
      const key = this.next();
      if (key.k === 'str') want.name = key.v;
      else {
        if (key.k !== 'word' || !['name', 'type'].includes(key.v.toLowerCase())) throw new FilterSyntaxError('id() takes name: and type:');
        this.expectPunct(':');
        const v = this.next();
        if (v.k !== 'str') throw new FilterSyntaxError('id() values are strings');
        want[key.v.toLowerCase() as 'name' | 'type'] = v.v;
      }
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      break;
    }
    this.expectPunct(')');
    return (f) => f.services.some((s) => (want.name === undefined || s.Name === want.name) && (want.type === undefined || s.Type === want.type));
  }

  private flag(word: string): Predicate {
    const get = (f: TraceFacts): boolean =>
      word === 'ok' ? !f.fault && !f.error && !f.throttle : word === 'error' ? f.error : word === 'fault' ? f.fault : word === 'throttle' ? f.throttle : f.partial;
    const t = this.peek();
    if (t?.k === 'op' && (t.v === '=' || t.v === '!=')) {
      this.i++;
      const v = this.next();
      if (v.k !== 'word' || !['true', 'false'].includes(v.v.toLowerCase())) throw new FilterSyntaxError(`${word} compares with true or false`);
      const b = v.v.toLowerCase() === 'true';
      return t.v === '=' ? (f) => get(f) === b : (f) => get(f) !== b;
    }
    return get;
  }

  private annotation(dotted: string | undefined): Predicate {
    let key = dotted;
    if (key === undefined) {
      this.expectPunct('[');
      const k = this.next();
      if (k.k !== 'word' && k.k !== 'str') throw new FilterSyntaxError('annotation[key] needs a key');
      key = String(k.v);
      this.expectPunct(']');
    }
    if (!key) throw new FilterSyntaxError('annotation needs a key');
    const values = (f: TraceFacts) => (f.annotations.get(key!) ?? []).map((x) => x.value);
    const t = this.peek();
    if (!(t?.k === 'op' || (t?.k === 'word' && STR_OPS.includes(t.v.toUpperCase())))) return (f) => values(f).length > 0;
    const op = this.op([...NUM_OPS, ...STR_OPS]);
    const v = this.next();
    let want: string | number | boolean;
    if (v.k === 'str' || v.k === 'num') want = v.v;
    else if (v.k === 'word' && ['true', 'false'].includes(v.v.toLowerCase())) want = v.v.toLowerCase() === 'true';
    else throw new FilterSyntaxError('annotation values are strings, numbers or booleans');
    if (op === '!=') return (f) => !values(f).includes(want);
    return (f) =>
      values(f).some((x) => {
        if (typeof want === 'number') return typeof x === 'number' && compare(x, op, want);
        if (typeof want === 'boolean') return x === want && op === '=';
        return typeof x === 'string' && compareString(x, op, want);
      });
  }

  private op(allowed: string[]): string {
    const t = this.next();
    const v = t.k === 'word' ? t.v.toUpperCase() : t.v;
    if ((t.k !== 'op' && t.k !== 'word') || !allowed.includes(String(v))) throw new FilterSyntaxError(`expected one of ${allowed.join(' ')}`);
    return String(v);
  }
}

const NUM_OPS = ['=', '!=', '<', '<=', '>', '>='];
const STR_OPS = ['=', '!=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH'];

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function compareString(a: string, op: string, b: string): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case 'CONTAINS':
      return a.includes(b);
    case 'BEGINSWITH':
      return a.startsWith(b);
    case 'ENDSWITH':
      return a.endsWith(b);
    default:
      return false;
  }
}

/** Compiles a filter expression; an empty one matches every trace. Throws FilterSyntaxError. */
export function compileFilter(expression: string | undefined): Predicate {
  if (!expression || !expression.trim()) return () => true;
  return new Parser(tokenize(expression)).parse();
}
