/**
 * Opaque pagination cursors: base64url JSON of a store's position (a DynamoDB key, a search's
 * sort values). Clients pass them back unchanged; a cursor that does not decode to an object is
 * a 400 naming the `cursor` parameter.
 */
import { BadRequestError } from './errors';

export type CursorPosition = Record<string, unknown>;

/** The 400 of a cursor this API did not issue, or issued for another question. */
export function invalidCursorError(reason = 'not a cursor this API issued'): BadRequestError {
  return new BadRequestError('invalid pagination cursor', [{ field: 'cursor', message: reason }], 'invalid_parameter');
}

/** The cursor of a position; null when there is no next page. */
export function encodeCursor(position: CursorPosition): string;
export function encodeCursor(position: CursorPosition | undefined): string | null;
export function encodeCursor(position: CursorPosition | undefined): string | null {
  return position ? Buffer.from(JSON.stringify(position), 'utf8').toString('base64url') : null;
}

/** The position a cursor carries; undefined for no cursor (the first page). */
export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as CursorPosition;
  } catch {
    // reported below
  }
  throw invalidCursorError();
}
