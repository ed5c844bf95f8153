import { resolvePriceMinor } from '../../../../../lambdas/catalog/domain/price';
import { ValidationError } from '../../../../../lambdas/shared/errors';

describe('price', () => {
  it('resolves a price sent as price, price_minor or both (when they agree)', () => {
    expect(resolvePriceMinor({ price: 299.99 }, 'USD', true)).toBe(29999);
    expect(resolvePriceMinor({ price_minor: 29999 }, 'USD', true)).toBe(29999);
    expect(resolvePriceMinor({ price: 299.99, price_minor: 29999 }, 'USD', true)).toBe(29999);
    expect(resolvePriceMinor({}, 'USD', false)).toBeUndefined();
    const disagree = () => resolvePriceMinor({ price: 299.99, price_minor: 100 }, 'USD', true);
    expect(disagree).toThrow(ValidationError);
    try {
      resolvePriceMinor({}, 'USD', true);
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect((err as ValidationError).details).toEqual([expect.objectContaining({ field: 'price' })]);
    }
  });
});
