import { afterFromCursor, cursorPosition, queryFingerprint, sortKeys, type ListQuery } from '../../../../../lambdas/catalog/domain/query';
import { BadRequestError } from '../../../../../lambdas/shared/errors';

const base: ListQuery = { filters: {}, sort: 'newest', limit: 20, facets: false };

describe('cursors', () => {
  it('binds a cursor to its query: other filters, text or sort are refused; page size is not part of it', () => {
    const q: ListQuery = { ...base, filters: { category: 'Books' }, sort: 'price_asc' };
    const f = queryFingerprint('list', q);
    expect(queryFingerprint('list', { ...q, limit: 99 })).toBe(f);
    expect(queryFingerprint('list', { ...q, filters: { category: 'Toys' } })).not.toBe(f);
    expect(queryFingerprint('search', { ...q, text: 'a' })).not.toBe(queryFingerprint('search', { ...q, text: 'b' }));
    const keys = sortKeys('price_asc', false);
    expect(afterFromCursor(cursorPosition([12.5, 'P1'], f), f, keys)).toEqual([12.5, 'P1']);
    expect(() => afterFromCursor(cursorPosition([12.5, 'P1'], f), queryFingerprint('list', { ...q, sort: 'newest' }), keys)).toThrow(BadRequestError);
    const detail = (position: Record<string, unknown>) => {
      try {
        afterFromCursor(position, f, keys);
      } catch (err) {
        return (err as BadRequestError).details[0];
      }
      return undefined;
    };
    expect(detail({ a: [12.5], f })).toEqual({ field: 'cursor', message: 'not a cursor this API issued' });
    expect(detail({ a: [{}, 'P1'], f })).toEqual({ field: 'cursor', message: 'not a cursor this API issued' });
    expect(detail({ a: [1, 2], f })).toEqual({ field: 'cursor', message: 'not a cursor this API issued' });
    expect(afterFromCursor(undefined, f, keys)).toBeUndefined();
  });
});
