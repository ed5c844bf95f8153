/** Helpers the operations share: typed request members, timestamps, pagination. */
import { EventBridgeError, validationError } from '../errors';
import { expectType, validate, type Constraint } from '../validation';

export type Input = Record<string, unknown>;

/** Checks the members' JSON types (SerializationException) and constraints (ValidationException). */
export function check(input: Input, constraints: readonly Constraint[]): void {
  const wrong = expectType(input, constraints);
  if (wrong) throw new EventBridgeError('SerializationException', `Unexpected value type for member ${wrong}.`);
  validate(input, constraints);
}

export const str = (input: Input, key: string): string | undefined => (typeof input[key] === 'string' ? (input[key] as string) : undefined);

/** A JSON 1.1 timestamp (epoch seconds, or an ISO-8601 string) in epoch milliseconds. */
export function timestampMs(v: unknown): number | undefined {
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return Math.round(n * 1000);
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Epoch milliseconds as a JSON 1.1 timestamp (epoch seconds). */
export const epoch = (ms: number) => ms / 1000;

/** Drops undefined members so that absent optional members stay absent on the wire. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * One page of items sorted by `key`: NextToken is an opaque token naming the last key returned,
 * so a page stays right when items are added or removed between calls.
 */
export function paginate<T>(items: T[], key: (t: T) => string, limit: number | undefined, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let start = 0;
  if (nextToken !== undefined) {
    let after: string;
    try {
      after = (JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as { after: string }).after;
      if (typeof after !== 'string') throw new Error();
    } catch {
      throw validationError('The NextToken provided is not valid.');
    }
    start = sorted.findIndex((t) => key(t) > after);
    if (start < 0) start = sorted.length;
  }
  const size = limit ?? 100;
  const page = sorted.slice(start, start + size);
  const more = start + size < sorted.length;
  return { page, nextToken: more ? Buffer.from(JSON.stringify({ after: key(page[page.length - 1]) })).toString('base64url') : undefined };
}
