/**
 * Intrinsic functions (`"Field.$": "States.Format('{}', $.x)"`), parsed once and evaluated per call.
 *
 *   call     := "States." Name "(" [ arg ("," arg)* ] ")"
 *   arg      := call | "'" chars "'" | number | "true" | "false" | "null" | path | "$" variable
 *   chars    := any character, with \' \{ \} \\ escaping the quote, the braces and the backslash
 *   path     := "$" ... | "$$" ... (a JSONPath, up to the next "," or ")" outside brackets and quotes)
 *
 * The semantics follow what the AWS-recorded cases show, not the library every local emulator copies:
 * States.MathAdd rounds each argument half-up to an integer (Java Math.round) before adding;
 * States.StringSplit splits on any of the delimiter's characters and drops empty tokens (Java
 * StringTokenizer); States.StringToJson of a blank string is null; States.Format renders objects as
 * Java maps ({a=1, b=[]}).
 */
import crypto from 'node:crypto';
import { RuntimeFault } from './errors';
import { parsePath, readParsed, type ParsedPath } from './jsonpath';

export type Arg =
  | { t: 'lit'; v: unknown; raw?: string }
  | { t: 'path'; p: ParsedPath }
  | { t: 'var'; name: string; rest: ParsedPath | null }
  | { t: 'call'; fn: string; args: Arg[] };

export class IntrinsicSyntaxError extends Error {}

const FUNCTIONS: Record<string, { min: number; max: number }> = {
  'States.Format': { min: 1, max: Infinity },
  'States.StringToJson': { min: 1, max: 1 },
  'States.JsonToString': { min: 1, max: 1 },
  'States.Array': { min: 0, max: Infinity },
  'States.ArrayPartition': { min: 2, max: 2 },
  'States.ArrayContains': { min: 2, max: 2 },
  'States.ArrayRange': { min: 3, max: 3 },
  'States.ArrayGetItem': { min: 2, max: 2 },
  'States.ArrayLength': { min: 1, max: 1 },
  'States.ArrayUnique': { min: 1, max: 1 },
  'States.Base64Encode': { min: 1, max: 1 },
  'States.Base64Decode': { min: 1, max: 1 },
  'States.Hash': { min: 2, max: 2 },
  'States.JsonMerge': { min: 3, max: 3 },
  'States.MathRandom': { min: 2, max: 3 },
  'States.MathAdd': { min: 2, max: 2 },
  'States.StringSplit': { min: 2, max: 2 },
  'States.UUID': { min: 0, max: 0 },
};

export const INTRINSIC_NAMES = Object.keys(FUNCTIONS);

const cache = new Map<string, Arg>();
const ESC_OPEN = '\uE000';
const ESC_CLOSE = '\uE001';

export function looksLikeIntrinsic(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

export function parseIntrinsic(text: string): Arg {
  let parsed = cache.get(text);
  if (!parsed) {
    const p = new Parser(text);
    parsed = p.call();
    p.ws();
    if (p.i !== text.length) throw new IntrinsicSyntaxError(`unexpected text after the call at ${p.i}`);
    if (cache.size > 2000) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  call(): Arg {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) throw new IntrinsicSyntaxError(`expected States.<Function> at ${this.i}`);
    const fn = m[0];
    const spec = FUNCTIONS[fn];
    if (!spec) throw new IntrinsicSyntaxError(`unknown intrinsic function ${fn}`);
    this.i += fn.length;
    this.ws();
    if (this.s[this.i] !== '(') throw new IntrinsicSyntaxError(`expected ( after ${fn}`);
    this.i++;
    const args: Arg[] = [];
    this.ws();
    if (this.s[this.i] === ')') this.i++;
    else {
      for (;;) {
        args.push(this.arg());
        this.ws();
        const c = this.s[this.i];
        if (c === ',') {
          this.i++;
          continue;
        }
        if (c === ')') {
          this.i++;
          break;
        }
        throw new IntrinsicSyntaxError(`expected , or ) at ${this.i} in ${this.s}`);
      }
    }
    if (args.length < spec.min || args.length > spec.max) throw new IntrinsicSyntaxError(`${fn} takes ${spec.min === spec.max ? spec.min : `${spec.min} to ${spec.max}`} arguments, got ${args.length}`);
    return { t: 'call', fn, args };
  }
  arg(): Arg {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === "'") {
      let out = '';
      let raw = '';
      this.i++;
      for (;;) {
        if (this.i >= s.length) throw new IntrinsicSyntaxError('unterminated string literal');
        const ch = s[this.i];
        if (ch === '\\') {
          const nx = s[this.i + 1];
          // \' \{ \} \\ are escapes; other backslashes stay as they are
          if (nx === "'" || nx === '{' || nx === '}' || nx === '\\') {
            out += nx;
            // States.Format sees escaped braces as literal text, not as a placeholder
            raw += nx === '{' ? ESC_OPEN : nx === '}' ? ESC_CLOSE : nx;
            this.i += 2;
            continue;
          }
          out += ch;
          raw += ch;
          this.i++;
          continue;
        }
        if (ch === "'") {
          this.i++;
          break;
        }
        out += ch;
        raw += ch;
        this.i++;
      }
      return { t: 'lit', v: out, raw };
    }
    if (s.startsWith('States.', this.i)) return this.call();
    if (c === '$') {
      const start = this.i;
      let depth = 0;
      let quote: string | null = null;
      for (; this.i < s.length; this.i++) {
        const ch = s[this.i];
        if (quote) {
          if (ch === '\\') this.i++;
          else if (ch === quote) quote = null;
          continue;
        }
        if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || (ch === ')' && depth > 0)) depth--;
        else if ((ch === ',' || ch === ')') && depth === 0) break;
      }
      const text = s.slice(start, this.i).trim();
      const vm = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(text);
      if (vm && !text.startsWith('$$')) {
        try {
          return { t: 'var', name: vm[1], rest: vm[2] ? parsePath(`$${vm[2]}`) : null };
        } catch (e) {
          throw new IntrinsicSyntaxError(String((e as Error).message));
        }
      }
      try {
        return { t: 'path', p: parsePath(text) };
      } catch (e) {
        throw new IntrinsicSyntaxError(String((e as Error).message));
      }
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return { t: 'lit', v: JSON.parse(m[0]) };
    }
    throw new IntrinsicSyntaxError(`unexpected '${c ?? 'end'}' at ${this.i} in ${s}`);
  }
}

export interface EvalScope {
  input: unknown;
  context: unknown;
  variables?: (name: string) => { found: boolean; value?: unknown };
}

export function evaluateIntrinsic(text: string, scope: EvalScope): unknown {
  return evalArg(parseIntrinsic(text), scope, text);
}

function evalArg(a: Arg, scope: EvalScope, whole: string): unknown {
  switch (a.t) {
    case 'lit':
      return a.v;
    case 'path': {
      const r = readParsed(a.p, a.p.context ? scope.context : scope.input);
      if (!r.found) throw new RuntimeFault(`The JsonPath argument for the field '${whole}' could not be found in the input '${JSON.stringify(a.p.context ? scope.context : scope.input)}'`);
      return r.value;
    }
    case 'var': {
      const v = scope.variables?.(a.name);
      if (!v || !v.found) throw new RuntimeFault(`The variable '$${a.name}' was not found in the scope of the state`);
      if (!a.rest) return v.value;
      const r = readParsed(a.rest, v.value);
      if (!r.found) throw new RuntimeFault(`The variable path '$${a.name}${a.rest.text.slice(1)}' could not be found`);
      return r.value;
    }
    case 'call': {
      const args = a.args.map((x) => evalArg(x, scope, whole));
      const first = a.args[0];
      if (a.fn === 'States.Format' && first?.t === 'lit' && first.raw !== undefined) args[0] = first.raw;
      return CALL[a.fn](args, a.fn);
    }
  }
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function bad(fn: string, msg: string): never {
  throw new RuntimeFault(`The function ${fn} ${msg}`);
}

function wantArray(fn: string, v: unknown, pos: number): unknown[] {
  if (!Array.isArray(v)) bad(fn, `expects argument ${pos} to be an array, but got ${typeName(v)}`);
  return v as unknown[];
}
function wantString(fn: string, v: unknown, pos: number): string {
  if (typeof v !== 'string') bad(fn, `expects argument ${pos} to be a string, but got ${typeName(v)}`);
  return v as string;
}
function wantNumber(fn: string, v: unknown, pos: number): number {
  if (typeof v !== 'number') bad(fn, `expects argument ${pos} to be a number, but got ${typeName(v)}`);
  return v as number;
}
function wantInt(fn: string, v: unknown, pos: number): number {
  const n = wantNumber(fn, v, pos);
  if (!Number.isInteger(n)) bad(fn, `expects argument ${pos} to be an integer, but got ${n}`);
  return n;
}

/** Java's Math.round: half-up toward positive infinity. */
const javaRound = (x: number) => Math.floor(x + 0.5);

/** Java-style rendering used by States.Format for non-string arguments ({a=1, b=[x, y]}). */
function javaString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}=${javaString(x)}`).join(', ')}}`;
  return String(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const CALL: Record<string, (args: unknown[], fn: string) => unknown> = {
  'States.Format': (args, fn) => {
    const tpl = wantString(fn, args[0], 1);
    let k = 1;
    let out = '';
    for (let i = 0; i < tpl.length; i++) {
      const ch = tpl[i];
      if (ch === ESC_OPEN || ch === ESC_CLOSE) {
        out += ch === ESC_OPEN ? '{' : '}';
        continue;
      }
      if (ch === '{' && tpl[i + 1] === '}') {
        if (k >= args.length) bad(fn, 'has more {} placeholders than arguments');
        const v = args[k++];
        out += typeof v === 'string' ? v : javaString(v);
        i++;
        continue;
      }
      out += ch;
    }
    if (k !== args.length) bad(fn, `was given ${args.length - 1} arguments for ${k - 1} placeholders`);
    return out;
  },
  'States.StringToJson': (args, fn) => {
    const s = wantString(fn, args[0], 1);
    if (s.trim() === '') return null;
    try {
      return JSON.parse(s);
    } catch {
      return bad(fn, `could not parse its argument as JSON: ${s}`);
    }
  },
  'States.JsonToString': (args) => JSON.stringify(args[0]),
  'States.Array': (args) => args,
  'States.ArrayPartition': (args, fn) => {
    const arr = wantArray(fn, args[0], 1);
    const size = wantInt(fn, args[1], 2);
    if (size <= 0) bad(fn, 'expects a chunk size greater than 0');
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': (args, fn) => wantArray(fn, args[0], 1).some((x) => deepEqual(x, args[1])),
  'States.ArrayRange': (args, fn) => {
    const start = wantInt(fn, args[0], 1);
    const end = wantInt(fn, args[1], 2);
    const step = wantInt(fn, args[2], 3);
    if (step === 0) bad(fn, 'expects a non-zero step');
    const out: number[] = [];
    if (step > 0) for (let x = start; x <= end; x += step) out.push(x);
    else for (let x = start; x >= end; x += step) out.push(x);
    if (out.length > 1000) bad(fn, 'would create more than 1000 items');
    return out;
  },
  'States.ArrayGetItem': (args, fn) => {
    const arr = wantArray(fn, args[0], 1);
    const idx = wantInt(fn, args[1], 2);
    if (idx < 0 || idx >= arr.length) bad(fn, `was given an index out of bounds: ${idx}`);
    return arr[idx];
  },
  'States.ArrayLength': (args, fn) => wantArray(fn, args[0], 1).length,
  'States.ArrayUnique': (args, fn) => {
    const out: unknown[] = [];
    for (const x of wantArray(fn, args[0], 1)) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  },
  'States.Base64Encode': (args, fn) => {
    const s = wantString(fn, args[0], 1);
    if (s.length > 10000) bad(fn, 'accepts at most 10000 characters');
    return Buffer.from(s, 'utf8').toString('base64');
  },
  'States.Base64Decode': (args, fn) => {
    const s = wantString(fn, args[0], 1);
    if (s.length > 10000) bad(fn, 'accepts at most 10000 characters');
    return Buffer.from(s, 'base64').toString('utf8');
  },
  'States.Hash': (args, fn) => {
    const data = args[0] === null ? 'null' : typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    const alg = wantString(fn, args[1], 2);
    const h = HASHES[alg];
    if (!h) bad(fn, `does not support the algorithm ${alg} (MD5, SHA-1, SHA-256, SHA-384, SHA-512)`);
    return crypto.createHash(h).update(data, 'utf8').digest('hex');
  },
  'States.JsonMerge': (args, fn) => {
    const a = args[0];
    const b = args[1];
    if (a === null || typeof a !== 'object' || Array.isArray(a)) bad(fn, `expects argument 1 to be an object, but got ${typeName(a)}`);
    if (b === null || typeof b !== 'object' || Array.isArray(b)) bad(fn, `expects argument 2 to be an object, but got ${typeName(b)}`);
    if (args[2] !== false) bad(fn, 'supports only shallow merges (its third argument must be false)');
    return { ...(a as object), ...(b as object) };
  },
  'States.MathRandom': (args, fn) => {
    const start = javaRound(wantNumber(fn, args[0], 1));
    const end = javaRound(wantNumber(fn, args[1], 2));
    if (args.length === 3) wantInt(fn, args[2], 3);
    return start + Math.floor(Math.random() * (end - start));
  },
  'States.MathAdd': (args, fn) => javaRound(wantNumber(fn, args[0], 1)) + javaRound(wantNumber(fn, args[1], 2)),
  'States.StringSplit': (args, fn) => {
    const s = wantString(fn, args[0], 1);
    const delims = new Set(wantString(fn, args[1], 2));
    const out: string[] = [];
    let cur = '';
    for (const ch of s) {
      if (delims.has(ch)) {
        if (cur) out.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur) out.push(cur);
    return out;
  },
  'States.UUID': () => crypto.randomUUID(),
};
