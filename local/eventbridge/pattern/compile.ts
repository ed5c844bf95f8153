/**
 * The event pattern compiler: pattern text → a list of branches (one per combination of `$or`
 * alternatives), each a map from a dotted field path to the matchers any one of which must hold.
 *
 * The grammar, the order of checks and the refusal messages follow AWS's Event Ruler (the matcher
 * EventBridge runs), so an invalid pattern gets the message EventBridge gives, Jackson location
 * included:
 *
 *   pattern    = object
 *   object     = "{" member *( "," member ) "}"                 ; never empty
 *   member     = name ":" ( object / values ) / "$or" ":" "[" object 1*( "," object ) "]"
 *   values     = "[" value *( "," value ) "]"                    ; never empty
 *   value      = string / number / true / false / null / "{" operator "}"
 *   operator   = "prefix" : ( string / { "equals-ignore-case": string } )
 *              / "suffix" : ( string / { "equals-ignore-case": string } )
 *              / "equals-ignore-case" : string / "wildcard" : string / "exactly" : string
 *              / "anything-but" : ( string / number / [ strings ] / [ numbers ]
 *                                 / { ("prefix" / "suffix" / "equals-ignore-case" / "wildcard") : ( string / [ strings ] ) } )
 *              / "numeric" : [ "=" n ] / [ (">" / ">=") n [ ("<" / "<=") n ] ] / [ ("<" / "<=") n ]
 *              / "exists" : ( true / false ) / "cidr" : string
 *
 * Nested keys are joined with "." as Ruler does, so {"a": {"b": [1]}} and {"a.b": [1]} are the same
 * field. A repeated key replaces the earlier one.
 */
import { isNumericToken, JsonReadError, JsonReader, type JsonToken } from './json-reader';
import { checkRange, cidrRange, comparableNumber, exactIpRange, IllegalPatternValue, parseWildcard, type Glob, type IpRange } from './values';

export type Matcher =
  | { type: 'exact'; value: string | number | boolean | null }
  | { type: 'ip'; range: IpRange }
  | { type: 'prefix'; value: string; ignoreCase: boolean }
  | { type: 'suffix'; value: string; ignoreCase: boolean }
  | { type: 'equals-ignore-case'; value: string }
  | { type: 'wildcard'; glob: Glob }
  | { type: 'numeric'; low: number; lowOpen: boolean; high: number; highOpen: boolean }
  | { type: 'exists'; value: boolean }
  | { type: 'anything-but'; strings: ReadonlySet<string>; numbers: readonly number[] }
  | { type: 'anything-but-prefix'; values: readonly string[] }
  | { type: 'anything-but-suffix'; values: readonly string[] }
  | { type: 'anything-but-equals-ignore-case'; values: readonly string[] }
  | { type: 'anything-but-wildcard'; globs: readonly Glob[] };

export interface PatternField {
  path: string;
  matchers: readonly Matcher[];
}

export interface CompiledPattern {
  /** the pattern matches when every field of any one branch matches */
  branches: ReadonlyArray<readonly PatternField[]>;
}

/** A pattern EventBridge refuses; `reason` is the text after "Event pattern is not valid. Reason: ". */
export class EventPatternError extends Error {
  constructor(readonly reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
  }
}

/** Field names that may not appear inside `$or` (Ruler keeps them for operators). */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

type Branch = Map<string, Matcher[]>;
interface State {
  branches: Branch[];
}

export function compileEventPattern(text: string): CompiledPattern {
  const r = new JsonReader(text);
  const state: State = { branches: [] };
  try {
    if (r.nextToken() !== 'START_OBJECT') r.fail('Filter is not an object');
    parseObject(r, '', state, false);
  } catch (err) {
    if (err instanceof JsonReadError || err instanceof IllegalPatternValue) throw new EventPatternError(err.message);
    throw err;
  }
  return { branches: state.branches.map((b) => [...b].map(([path, matchers]) => ({ path, matchers }))) };
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function parseObject(r: JsonReader, prefix: string, state: State, insideOr: boolean): void {
  let any = false;
  while (r.nextToken() !== 'END_OBJECT') {
    any = true;
    const name = r.getText();
    if (name === '$or') {
      parseOr(r, prefix, state);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(name)) r.fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    const t = r.nextToken();
    if (t === 'START_OBJECT') parseObject(r, join(prefix, name), state, insideOr);
    else if (t === 'START_ARRAY') writeValues(r, join(prefix, name), state);
    else r.fail(`"${name}" must be an object or an array`);
  }
  if (!any) r.fail('Empty objects are not allowed');
}

/** `$or`: every alternative object forks each branch built so far. */
function parseOr(r: JsonReader, prefix: string, state: State): void {
  const before = state.branches.map((b) => new Map(b));
  state.branches.length = 0;
  if (r.nextToken() !== 'START_ARRAY') r.fail('It must be an Array followed with $or.');
  let count = 0;
  let t: JsonToken | null;
  while ((t = r.nextToken()) !== 'END_ARRAY') {
    count++;
    if (t !== 'START_OBJECT') r.fail('Only JSON object is allowed in array of $or relationship.');
    const sub: State = { branches: before.length ? before.map((b) => new Map(b)) : [new Map()] };
    parseObject(r, prefix, sub, true);
    state.branches.push(...sub.branches);
  }
  if (count < 2) r.fail('There must have at least 2 Objects in $or relationship.');
}

function writeValues(r: JsonReader, path: string, state: State): void {
  const values: Matcher[] = [];
  let t: JsonToken | null;
  while ((t = r.nextToken()) !== 'END_ARRAY') {
    switch (t) {
      case 'START_OBJECT':
        values.push(operator(r));
        break;
      case 'VALUE_STRING': {
        const s = r.getText();
        const ip = exactIpRange(s);
        values.push(ip ? { type: 'ip', range: ip } : { type: 'exact', value: s });
        break;
      }
      case 'VALUE_NUMBER_INT':
      case 'VALUE_NUMBER_FLOAT':
        values.push({ type: 'exact', value: Number(r.getText()) });
        break;
      case 'VALUE_NULL':
        values.push({ type: 'exact', value: null });
        break;
      case 'VALUE_TRUE':
      case 'VALUE_FALSE':
        values.push({ type: 'exact', value: t === 'VALUE_TRUE' });
        break;
      default:
        r.fail('Match value must be String, number, true, false, or null');
    }
  }
  if (values.length === 0) r.fail('Empty arrays are not allowed');
  if (state.branches.length === 0) state.branches.push(new Map());
  for (const b of state.branches) b.set(path, values);
}

function endObject(r: JsonReader, message = 'Only one key allowed in match expression'): void {
  if (r.nextToken() !== 'END_OBJECT') r.fail(message);
}

const TOO_MANY = 'Too many elements in numeric expression';

/** One `{ operator: argument }` object (its START_OBJECT has been read). */
function operator(r: JsonReader): Matcher {
  if (r.nextToken() !== 'FIELD_NAME') r.fail('Match expression name not found');
  const op = r.getText();
  switch (op) {
    case 'exactly': {
      if (r.nextToken() !== 'VALUE_STRING') r.fail('exact match pattern must be a string');
      const m: Matcher = { type: 'exact', value: r.getText() };
      endObject(r);
      return m;
    }
    case 'prefix':
    case 'suffix': {
      const t = r.nextToken();
      if (t === 'START_OBJECT') return affixIgnoreCase(r, op);
      if (t !== 'VALUE_STRING') r.fail(`${op} match pattern must be a string`);
      const m: Matcher = { type: op, value: r.getText(), ignoreCase: false };
      endObject(r);
      return m;
    }
    case 'numeric': {
      if (r.nextToken() !== 'START_ARRAY') r.fail('Value of numeric must be an array.');
      const m = numeric(r);
      endObject(r, TOO_MANY);
      return m;
    }
    case 'anything-but':
      return anythingBut(r);
    case 'exists': {
      const t = r.nextToken();
      if (t !== 'VALUE_TRUE' && t !== 'VALUE_FALSE') r.fail('exists match pattern must be either true or false.');
      endObject(r);
      return { type: 'exists', value: t === 'VALUE_TRUE' };
    }
    case 'cidr': {
      // (Ruler's message names "prefix" here)
      if (r.nextToken() !== 'VALUE_STRING') r.fail('prefix match pattern must be a string');
      const range = cidrRange(r.getText());
      endObject(r);
      return { type: 'ip', range };
    }
    case 'equals-ignore-case': {
      if (r.nextToken() !== 'VALUE_STRING') r.fail('equals-ignore-case match pattern must be a string');
      const m: Matcher = { type: 'equals-ignore-case', value: r.getText().toLowerCase() };
      endObject(r);
      return m;
    }
    case 'wildcard': {
      if (r.nextToken() !== 'VALUE_STRING') r.fail('wildcard match pattern must be a string');
      const glob = wildcard(r, r.getText());
      endObject(r);
      return { type: 'wildcard', glob };
    }
    default:
      return r.fail(`Unrecognized match type ${op}`);
  }
}

function wildcard(r: JsonReader, text: string): Glob {
  try {
    return parseWildcard(text);
  } catch (err) {
    if (err instanceof IllegalPatternValue) r.fail(err.message);
    throw err;
  }
}

/** `{"prefix": {"equals-ignore-case": "..."}}` and the suffix form. */
function affixIgnoreCase(r: JsonReader, op: 'prefix' | 'suffix'): Matcher {
  const label = op === 'prefix' ? 'Prefix' : 'Suffix';
  if (r.nextToken() !== 'FIELD_NAME') r.fail(`${label} expression name not found`);
  const inner = r.getText();
  if (inner !== 'equals-ignore-case') r.fail(`Unsupported ${op} pattern: ${inner}`);
  if (r.nextToken() !== 'VALUE_STRING') r.fail('equals-ignore-case match pattern must be a string');
  const m: Matcher = { type: op, value: r.getText().toLowerCase(), ignoreCase: true };
  endObject(r);
  endObject(r);
  return m;
}

/** A failure inside the block where Ruler catches and re-raises: the location is appended twice. */
function rethrowWithLocation(r: JsonReader, err: unknown): never {
  if (err instanceof JsonReadError || err instanceof IllegalPatternValue) r.fail(err.message);
  throw err;
}

/** The numeric expression after its "[": `["=", n]`, `[">", n, "<=", m]`, `["<", n]`, ... */
function numeric(r: JsonReader): Matcher {
  if (r.nextToken() !== 'VALUE_STRING') r.fail(`Invalid member in numeric match: ${r.getText()}`);
  const op = r.getText();
  const t = r.nextToken();
  try {
    switch (op) {
      case '=': {
        if (!isNumericToken(t)) r.fail('Value of equals must be numeric');
        const text = r.getText();
        if (r.nextToken() !== 'END_ARRAY') r.fail(TOO_MANY);
        const n = comparableNumber(text);
        return { type: 'numeric', low: n, lowOpen: false, high: n, highOpen: false };
      }
      case '>':
      case '>=': {
        if (!isNumericToken(t)) r.fail(`Value of ${op} must be numeric`);
        const bottom = r.getText();
        const next = r.nextToken();
        if (next === 'END_ARRAY') return { type: 'numeric', low: comparableNumber(bottom), lowOpen: op === '>', high: Infinity, highOpen: false };
        return numericRange(r, next, bottom, op === '>');
      }
      case '<':
      case '<=': {
        if (!isNumericToken(t)) r.fail(`Value of ${op} must be numeric`);
        const top = r.getText();
        if (r.nextToken() !== 'END_ARRAY') r.fail(TOO_MANY);
        return { type: 'numeric', low: -Infinity, lowOpen: false, high: comparableNumber(top), highOpen: op === '<' };
      }
      default:
        return r.fail(`Unrecognized numeric range operator: ${op}`);
    }
  } catch (err) {
    if (err instanceof IllegalPatternValue) r.fail(err.message);
    throw err;
  }
}

function numericRange(r: JsonReader, t: JsonToken | null, bottomText: string, lowOpen: boolean): Matcher {
  if (t !== 'VALUE_STRING') r.fail(`Bad value in numeric range: ${r.getText()}`);
  const op = r.getText();
  if (op !== '<' && op !== '<=') r.fail(`Bad numeric range operator: ${op}`);
  if (!isNumericToken(r.nextToken())) r.fail(`Value of ${op} must be numeric`);
  const topText = r.getText();
  if (r.nextToken() !== 'END_ARRAY') r.fail('Too many terms in numeric range expression');
  const low = comparableNumber(bottomText);
  const high = comparableNumber(topText);
  checkRange(low, high);
  return { type: 'numeric', low, lowOpen, high, highOpen: op === '<' };
}

type ButKind = 'plain' | 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

function anythingBut(r: JsonReader): Matcher {
  let kind: ButKind = 'plain';
  let t = r.nextToken();
  if (t === 'START_OBJECT') {
    if (r.nextToken() !== 'FIELD_NAME') r.fail('Anything-But expression name not found');
    const inner = r.getText();
    if (inner !== 'equals-ignore-case' && inner !== 'prefix' && inner !== 'suffix' && inner !== 'wildcard') {
      r.fail(`Unsupported anything-but pattern: ${inner}`);
    }
    kind = inner;
    t = r.nextToken();
  }
  if (t !== 'START_ARRAY' && t !== 'VALUE_STRING' && !isNumericToken(t)) {
    r.fail('Value of anything-but must be an array or single string/number value.');
  }
  let m: Matcher;
  if (kind === 'plain') m = t === 'START_ARRAY' ? butList(r) : butSingle(r, t as JsonToken);
  else m = butValues(r, kind, t === 'START_ARRAY' ? butValuesList(r, kind) : [butValue(r, t as JsonToken, kind)]);
  endObject(r, TOO_MANY);
  if (kind !== 'plain') endObject(r, TOO_MANY);
  return m;
}

function butSingle(r: JsonReader, t: JsonToken): Matcher {
  // a number that cannot be compared fails here without a location, as in Ruler
  if (t === 'VALUE_STRING') return { type: 'anything-but', strings: new Set([r.getText()]), numbers: [] };
  return { type: 'anything-but', strings: new Set(), numbers: [comparableNumber(r.getText())] };
}

function butList(r: JsonReader): Matcher {
  const strings = new Set<string>();
  const numbers: number[] = [];
  try {
    let t: JsonToken | null;
    while ((t = r.nextToken()) !== 'END_ARRAY') {
      if (t === 'VALUE_STRING') strings.add(r.getText());
      else if (isNumericToken(t)) numbers.push(comparableNumber(r.getText()));
      else r.fail('Inside anything but list, start|null|boolean is not supported.');
    }
  } catch (err) {
    rethrowWithLocation(r, err);
  }
  if ((strings.size > 0) === (numbers.length > 0)) {
    r.fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return { type: 'anything-but', strings, numbers };
}

function butValue(r: JsonReader, t: JsonToken, kind: Exclude<ButKind, 'plain'>): string {
  if (t === 'VALUE_STRING') {
    const text = r.getText();
    if ((kind === 'prefix' || kind === 'suffix') && text === '') r.fail('Null prefix/suffix not allowed');
    return text;
  }
  if (kind === 'equals-ignore-case') r.fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
  if (kind === 'wildcard') r.fail('wildcard match pattern must be a string');
  return r.fail('prefix/suffix match pattern must be a string');
}

function butValuesList(r: JsonReader, kind: Exclude<ButKind, 'plain'>): string[] {
  const values: string[] = [];
  try {
    let t: JsonToken | null;
    while ((t = r.nextToken()) !== 'END_ARRAY') {
      const v = butValue(r, t as JsonToken, kind);
      if (!values.includes(v)) values.push(v);
    }
  } catch (err) {
    rethrowWithLocation(r, err);
  }
  return values;
}

function butValues(r: JsonReader, kind: Exclude<ButKind, 'plain'>, values: string[]): Matcher {
  switch (kind) {
    case 'prefix':
      return { type: 'anything-but-prefix', values };
    case 'suffix':
      return { type: 'anything-but-suffix', values };
    case 'equals-ignore-case':
      return { type: 'anything-but-equals-ignore-case', values: values.map((v) => v.toLowerCase()) };
    case 'wildcard':
      return { type: 'anything-but-wildcard', globs: values.map((v) => wildcard(r, v)) };
  }
}
