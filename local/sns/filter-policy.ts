/**
 * Subscription filter policies. The matching itself is delegated to one function,
 * `matchPattern`, today the event pattern matcher of local/esm (prefix, suffix, anything-but,
 * exists, numeric) with `$or` unrolled here; swap it for the complete EventBridge matcher when
 * that lands, and SNS gets `equals-ignore-case`, `cidr` and the rest with no other change.
 *
 * What a policy is matched against:
 * - scope `MessageAttributes` (the default): an object of the message attributes, String as
 *   strings, Number as numbers, String.Array as arrays; Binary attributes cannot be matched.
 * - scope `MessageBody`: the message parsed as JSON (a body that is not JSON never matches).
 */
import { matchesPattern } from '../esm/event-pattern';
import { invalidParameter } from './errors';
import type { SnsMessageAttribute } from './model';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The one place that knows which matcher is used. */
export const matchPattern = (policy: Record<string, unknown>, doc: unknown): boolean => expandOr(policy).some((p) => matchesPattern(p as Record<string, Json>, doc));

/**
 * `$or` (SNS and EventBridge) unrolled into plain alternatives, since the local/esm matcher has
 * no `$or`: {a:[1], $or:[{b:[2]},{c:[3]}]} => [{a:[1],b:[2]}, {a:[1],c:[3]}]. Nested too.
 */
export function expandOr(node: unknown): Array<Record<string, unknown>> {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [node as Record<string, unknown>];
  let alts: Array<Record<string, unknown>> = [{}];
  for (const [k, v] of Object.entries(node)) {
    if (k === '$or' && Array.isArray(v)) {
      const options = v.flatMap((o) => expandOr(o));
      alts = alts.flatMap((a) => options.map((o) => ({ ...a, ...o })));
    } else {
      const values = v && typeof v === 'object' && !Array.isArray(v) ? expandOr(v) : [v as Record<string, unknown>];
      alts = alts.flatMap((a) => values.map((x) => ({ ...a, [k]: x })));
    }
  }
  return alts;
}

function checkNode(node: unknown, depth: number, path: string): void {
  if (Array.isArray(node)) {
    if (node.length === 0) throw invalidParameter(`FilterPolicy: Empty arrays are not allowed at ${path}`);
    return;
  }
  if (node && typeof node === 'object') {
    if (depth > 5) throw invalidParameter('FilterPolicy: Filter policy is too complex');
    for (const [k, v] of Object.entries(node)) checkNode(v, depth + 1, `${path}.${k}`);
    return;
  }
  throw invalidParameter(`FilterPolicy: Match value must be String, number, true, false, or null at ${path}`);
}

/** Parses and checks a FilterPolicy attribute; '' removes the policy. */
export function parseFilterPolicy(value: string, scope: string): Record<string, unknown> | undefined {
  if (value === '') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw invalidParameter('FilterPolicy: failed to parse JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter('FilterPolicy: Filter policy must be a JSON object');
  const keys = Object.keys(doc).filter((k) => k !== '$or');
  if (scope !== 'MessageBody') {
    if (keys.length > 5) throw invalidParameter('FilterPolicy: Filter policy can not have more than 5 keys');
    for (const [k, v] of Object.entries(doc)) {
      if (k !== '$or' && !Array.isArray(v)) throw invalidParameter(`FilterPolicy: "${k}" must be an object or an array`);
    }
  }
  checkNode(doc, 0, '');
  return doc as Record<string, unknown>;
}

export function attributesDocument(attrs: Record<string, SnsMessageAttribute> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(attrs ?? {})) {
    if (a.DataType.startsWith('Binary')) continue;
    if (a.DataType.startsWith('Number')) out[k] = Number(a.StringValue);
    else if (a.DataType === 'String.Array') {
      try {
        out[k] = JSON.parse(a.StringValue ?? '[]');
      } catch {
        out[k] = a.StringValue;
      }
    } else out[k] = a.StringValue;
  }
  return out;
}

export function matchesFilterPolicy(policy: Record<string, unknown> | undefined, scope: string | undefined, message: string, attrs: Record<string, SnsMessageAttribute> | undefined): boolean {
  if (!policy) return true;
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    return matchPattern(policy, body);
  }
  return matchPattern(policy, attributesDocument(attrs));
}
