import { decodeCursor, encodeCursor, invalidCursorError } from '../../../../lambdas/shared/cursor';
import { BadRequestError } from '../../../../lambdas/shared/errors';

function refusal(cursor: string): BadRequestError {
  try {
    decodeCursor(cursor);
  } catch (err) {
    return err as BadRequestError;
  }
  throw new Error(`expected ${cursor} to be refused`);
}

describe('cursor codec', () => {
  it('round-trips a position through base64url JSON', () => {
    const position = { product_id: 'PROD-001', a: [12.5, 'P1'], f: 'x+y/z' };
    const cursor = encodeCursor(position);
    expect(cursor).toBe(Buffer.from(JSON.stringify(position)).toString('base64url'));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('has no cursor for the last page and no position for the first', () => {
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });

  it('refuses what does not decode to an object with a 400 naming the cursor parameter', () => {
    for (const cursor of ['garbage!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('"text"').toString('base64url'), Buffer.from('null').toString('base64url')]) {
      const err = refusal(cursor);
      expect(err).toBeInstanceOf(BadRequestError);
      expect(err).toMatchObject({ statusCode: 400, code: 'invalid_parameter', message: 'invalid pagination cursor' });
      expect(err.details).toEqual([{ field: 'cursor', message: 'not a cursor this API issued' }]);
    }
  });

  it('names the reason when a caller refuses a cursor for its own cause', () => {
    expect(invalidCursorError('belongs to another query').details).toEqual([{ field: 'cursor', message: 'belongs to another query' }]);
  });
});
