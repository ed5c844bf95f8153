import { ValidationError } from '../../../../../lambdas/shared/errors';
import { PriceChangedError } from '../../../../../lambdas/orders/domain/errors';
import { priceOrder, type PriceEntry } from '../../../../../lambdas/orders/domain/pricing';
import { price } from '../fixtures';

const list = (...entries: PriceEntry[]) => new Map(entries.map((e) => [e.productId, e]));

function failure(run: () => unknown): ValidationError | PriceChangedError {
  try {
    run();
  } catch (err) {
    return err as ValidationError;
  }
  throw new Error('expected a failure');
}

describe('pricing an order', () => {
  it("prices each line from the catalog's price, with its revision, and totals them", () => {
    const priced = priceOrder(
      [
        { product_id: 'A', quantity: 2, price: 299.99 },
        { product_id: 'B', quantity: 3 },
      ],
      list(price('A', 29999, { version: 4, name: 'Headphones' }), price('B', 1050)),
    );
    expect(priced).toEqual({
      currency: 'USD',
      totalMinor: 2 * 29999 + 3 * 1050,
      lines: [
        { product_id: 'A', name: 'Headphones', quantity: 2, unit_price_minor: 29999, line_total_minor: 59998, price_version: 4 },
        { product_id: 'B', name: 'Product B', quantity: 3, unit_price_minor: 1050, line_total_minor: 3150, price_version: 1 },
      ],
    });
  });

  it('answers 422 naming each unknown or deleted product', () => {
    const err = failure(() => priceOrder([{ product_id: 'A', quantity: 1 }, { product_id: 'GONE', quantity: 1 }, { product_id: 'NOPE', quantity: 1 }], list(price('A', 100), price('GONE', 100, { deleted: true }))));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.statusCode).toBe(422);
    expect(err.details.map((d) => d.field)).toEqual(['items.1.product_id', 'items.2.product_id']);
    expect(err.details[0]).toMatchObject({ message: 'unknown product GONE', product_id: 'GONE' });
  });

  it('answers 409 with the current price of each line whose client price differs', () => {
    const err = failure(() =>
      priceOrder([{ product_id: 'A', quantity: 1, price: 299.99 }, { product_id: 'B', quantity: 1, price: 10.5 }], list(price('A', 27999, { version: 3 }), price('B', 1050))),
    );
    expect(err).toBeInstanceOf(PriceChangedError);
    expect(err.statusCode).toBe(409);
    expect(err.code).toBe('price_changed');
    expect(err.details).toEqual([
      { field: 'items.0.price', message: 'the current price of A is 279.99 USD, not 299.99', product_id: 'A', price: 279.99, price_minor: 27999, currency: 'USD', price_version: 3 },
    ]);
  });

  it('answers 422 for a client price that is not an amount of the currency', () => {
    const err = failure(() => priceOrder([{ product_id: 'A', quantity: 1, price: 299.999 }], list(price('A', 29999))));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details).toEqual([{ field: 'items.0.price', message: 'price has more than 2 decimal places for USD' }]);
  });

  it('answers 422 for products priced in different currencies', () => {
    const err = failure(() => priceOrder([{ product_id: 'A', quantity: 1 }, { product_id: 'B', quantity: 1 }], list(price('A', 100), price('B', 100, { currency: 'EUR' }))));
    expect(err.details).toEqual([{ field: 'items', message: 'the products are priced in USD, EUR; place one order per currency' }]);
  });

  it('answers 422 when the total is beyond what one order can charge', () => {
    const err = failure(() =>
      priceOrder(
        Array.from({ length: 10 }, (_, i) => ({ product_id: `P${i}`, quantity: 10_000 })),
        list(...Array.from({ length: 10 }, (_, i) => price(`P${i}`, 1_000_000_000_000))),
      ),
    );
    expect(err.details).toEqual([{ field: 'items', message: 'the total exceeds what one order can charge' }]);
  });

  it('prices a zero-decimal currency exactly', () => {
    expect(priceOrder([{ product_id: 'J', quantity: 3, price: 1500 }], list(price('J', 1500, { currency: 'JPY' })))).toMatchObject({ currency: 'JPY', totalMinor: 4500 });
  });
});
