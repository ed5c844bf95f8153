/** The API's amounts: major units as the catalog takes prices, or minor units; both if they agree. */
import { amountMinorOf } from '../../../../../lambdas/payments/handlers/money';
import { ValidationError } from '../../../../../lambdas/shared/errors';

function details(run: () => unknown) {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('amountMinorOf', () => {
  it('takes major units in the currency, or minor units, or both when they agree', () => {
    expect(amountMinorOf({ amount: 299.99 }, 'USD', true)).toBe(29999);
    expect(amountMinorOf({ amount: 1500 }, 'JPY', true)).toBe(1500);
    expect(amountMinorOf({ amount: 1.234 }, 'KWD', true)).toBe(1234);
    expect(amountMinorOf({ amount_minor: 500 }, 'USD', true)).toBe(500);
    expect(amountMinorOf({ amount: 5, amount_minor: 500 }, 'USD', true)).toBe(500);
    expect(amountMinorOf({}, 'USD', false)).toBeUndefined();
  });

  it('names the field at fault', () => {
    expect(details(() => amountMinorOf({ amount: 1.001 }, 'USD', true))).toEqual([{ field: 'amount', message: 'amount has more than 2 decimal places for USD' }]);
    expect(details(() => amountMinorOf({ amount: 1.5 }, 'JPY', true))).toEqual([{ field: 'amount', message: 'amount has more than 0 decimal places for JPY' }]);
    expect(details(() => amountMinorOf({ amount_minor: 1.5 }, 'USD', true))).toEqual([{ field: 'amount_minor', message: 'amount_minor must be an integer' }]);
    expect(details(() => amountMinorOf({ amount: 5, amount_minor: 501 }, 'USD', true))[0]!.field).toBe('amount_minor');
    expect(details(() => amountMinorOf({}, 'USD', true))[0]!.field).toBe('amount');
  });
});
