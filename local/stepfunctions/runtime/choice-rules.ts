/**
 * Choice rules (JSONPath states): comparison operators, Is* tests and And/Or/Not. A comparison whose
 * operands are not of the operator's type is false, never an error; `IsX: false` means "is not X".
 * A Variable (or *Path operand) that does not exist is a States.Runtime error, except under IsPresent.
 */
import { RuntimeFault } from './errors';
import { readReference, type Scope } from './payload';

export type ChoiceRule = Record<string, unknown>;

export const COMPARATORS = [
  'StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'StringMatches',
  'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals',
] as const;
export const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;
export const ALL_OPERATORS: string[] = [...COMPARATORS, ...COMPARATORS.filter((c) => c !== 'StringMatches').map((c) => `${c}Path`), 'StringMatchesPath', ...TYPE_TESTS];

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds (fraction kept) of an RFC 3339 timestamp, or null when the text is not one. */
export function parseTimestamp(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = RFC3339.exec(v);
  if (!m) return null;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  const frac = m[7] ? Number(`0${m[7]}`) * 1000 : 0;
  return Math.floor(ms / 1000) * 1000 + frac;
}

/** StringMatches: "*" matches any run of characters, "\*" a star, "\\" a backslash. */
function wildcardMatch(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      re += `\\${pattern[i + 1]}`;
      i++;
    } else if (c === '*') re += '[\\s\\S]*';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(value);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op.startsWith('String')) {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    switch (op) {
      case 'StringEquals': return a === b;
      case 'StringLessThan': return a < b;
      case 'StringGreaterThan': return a > b;
      case 'StringLessThanEquals': return a <= b;
      case 'StringGreaterThanEquals': return a >= b;
      case 'StringMatches': return wildcardMatch(a, b);
    }
  }
  if (op.startsWith('Numeric')) {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    switch (op) {
      case 'NumericEquals': return a === b;
      case 'NumericLessThan': return a < b;
      case 'NumericGreaterThan': return a > b;
      case 'NumericLessThanEquals': return a <= b;
      case 'NumericGreaterThanEquals': return a >= b;
    }
  }
  if (op === 'BooleanEquals') return typeof a === 'boolean' && typeof b === 'boolean' && a === b;
  if (op.startsWith('Timestamp')) {
    const x = parseTimestamp(a);
    const y = parseTimestamp(b);
    if (x === null || y === null) return false;
    switch (op) {
      case 'TimestampEquals': return x === y;
      case 'TimestampLessThan': return x < y;
      case 'TimestampGreaterThan': return x > y;
      case 'TimestampLessThanEquals': return x <= y;
      case 'TimestampGreaterThanEquals': return x >= y;
    }
  }
  return false;
}

function typeTest(op: string, present: boolean, v: unknown): boolean {
  switch (op) {
    case 'IsPresent': return present;
    case 'IsNull': return present && v === null;
    case 'IsNumeric': return present && typeof v === 'number';
    case 'IsString': return present && typeof v === 'string';
    case 'IsBoolean': return present && typeof v === 'boolean';
    case 'IsTimestamp': return present && parseTimestamp(v) !== null;
  }
  return false;
}

export function evalChoiceRule(rule: ChoiceRule, scope: Scope): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => evalChoiceRule(r, scope));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => evalChoiceRule(r, scope));
  if (rule.Not && typeof rule.Not === 'object') return !evalChoiceRule(rule.Not as ChoiceRule, scope);
  const variable = rule.Variable as string;
  const op = ALL_OPERATORS.find((o) => o in rule);
  if (!op) throw new RuntimeFault('A choice rule has no comparison operator');
  const r = readReference(variable, scope);
  if ((TYPE_TESTS as readonly string[]).includes(op)) {
    const want = rule[op] === true;
    return typeTest(op, r.found, r.found ? r.value : undefined) === want;
  }
  if (!r.found) throw new RuntimeFault(r.reason);
  let other = rule[op];
  let base = op;
  if (op.endsWith('Path')) {
    base = op.slice(0, -4);
    const o = readReference(other as string, scope);
    if (!o.found) throw new RuntimeFault(o.reason);
    other = o.value;
  }
  return compare(base, r.value, other);
}
