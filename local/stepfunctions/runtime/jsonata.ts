/**
 * JSONata states (QueryLanguage "JSONata"), evaluated with the maintained `jsonata` package.
 *
 * A field value that is a string "{% expression %}" is evaluated; objects and arrays are walked (the
 * field named in errors as "Output/a/b" as AWS names it); any other value is a literal. Bindings:
 * `$states` ({input, result, errorOutput, context}), the workflow variables by name, and the functions
 * Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse).
 * A failed or undefined evaluation is States.QueryEvaluationError, worded as AWS words it.
 */
import crypto from 'node:crypto';
import jsonata from 'jsonata';
import { QueryFault } from './errors';

const EXPR = /^\s*\{%([\s\S]*)%\}\s*$/;
const compiled = new Map<string, jsonata.Expression>();

export function isJsonataExpression(v: unknown): v is string {
  return typeof v === 'string' && EXPR.test(v);
}

export function checkJsonataSyntax(v: string): string | null {
  const m = EXPR.exec(v);
  if (!m) return null;
  try {
    compile(m[1]);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function compile(src: string): jsonata.Expression {
  let e = compiled.get(src);
  if (!e) {
    e = jsonata(src);
    registerFunctions(e);
    if (compiled.size > 2000) compiled.clear();
    compiled.set(src, e);
  }
  return e;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function registerFunctions(e: jsonata.Expression): void {
  e.registerFunction('partition', (arr: unknown[], size: number) => {
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  }, '<an:a>');
  e.registerFunction('range', (start: number, end: number, step: number) => {
    const out: number[] = [];
    if (step > 0) for (let x = start; x <= end; x += step) out.push(x);
    else if (step < 0) for (let x = start; x >= end; x += step) out.push(x);
    return out;
  }, '<nnn:a>');
  e.registerFunction('hash', (data: unknown, alg: string) => {
    const h = HASHES[alg];
    if (!h) throw new Error(`unsupported hash algorithm ${alg}`);
    return crypto.createHash(h).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
  }, '<xs:s>');
  e.registerFunction('random', (seed?: number) => (seed === undefined ? Math.random() : seeded(seed)), '<n?:n>');
  e.registerFunction('uuid', () => crypto.randomUUID(), '<:s>');
  e.registerFunction('parse', (s: string) => JSON.parse(s), '<s:x>');
}

/** Deterministic [0,1) for $random(seed) (mulberry32). */
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export interface JsonataBindings {
  states: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** Evaluates one expression string "{% ... %}" (or returns a literal as it is). */
export async function evalJsonataString(value: string, field: string, b: JsonataBindings): Promise<unknown> {
  const m = EXPR.exec(value);
  if (!m) return value;
  const src = m[1].trim();
  let expr: jsonata.Expression;
  try {
    expr = compile(m[1]);
  } catch (e) {
    throw new QueryFault(`The JSONata expression '${src}' specified for the field '${field}' threw an error during evaluation. ${errText(e)}`);
  }
  let out: unknown;
  try {
    out = await expr.evaluate(undefined, { ...b.variables, states: b.states });
  } catch (e) {
    throw new QueryFault(`The JSONata expression '${src}' specified for the field '${field}' threw an error during evaluation. ${errText(e)}`);
  }
  if (out === undefined) throw new QueryFault(`The JSONata expression '${src}' specified for the field '${field}' returned nothing (undefined).`);
  if (typeof out === 'function') throw new QueryFault(`The JSONata expression '${src}' specified for the field '${field}' returned an unsupported result type.`);
  return normalize(out);
}

/** Evaluates a field value: expressions inside objects and arrays too. */
export async function evalJsonataValue(value: unknown, field: string, b: JsonataBindings): Promise<unknown> {
  if (typeof value === 'string') return evalJsonataString(value, field, b);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await evalJsonataValue(value[i], `${field}/${i}`, b));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evalJsonataValue(v, `${field}/${k}`, b);
    return out;
  }
  return value;
}

function errText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code}: ${err.message}` : String(err.message ?? e);
}

/** JSONata sequences are arrays with extra flags; make plain JSON of the result. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = normalize(x);
    return out;
  }
  return v;
}
