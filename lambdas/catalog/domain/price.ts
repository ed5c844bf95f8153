/**
 * A request's price, in whichever form the client sent it (`price` in major units or
 * `price_minor`), resolved to minor units of the product's currency. Both forms may be sent
 * if they agree.
 */
import { ValidationError, type ErrorDetail } from '../../shared/errors';
import { MoneyError } from '../../shared/errors';
import { checkMinor, toMinor } from '../../shared/money';

export interface PriceInput {
  price?: number;
  price_minor?: number;
}

/** The problems with a price input, as error details ([] when it is fine). */
export function priceIssues(input: PriceInput, currency: string, required: boolean): ErrorDetail[] {
  try {
    resolvePriceMinor(input, currency, required);
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return err.details;
    throw err;
  }
}

/** Minor units of the price input, or undefined when none was sent and none is required. */
export function resolvePriceMinor(input: PriceInput, currency: string, required: boolean): number | undefined {
  const fail = (field: string, message: string): never => {
    throw new ValidationError('price is invalid', [{ field, message }]);
  };
  let fromMajor: number | undefined;
  let fromMinor: number | undefined;
  try {
    if (input.price !== undefined) fromMajor = toMinor(input.price, currency);
  } catch (err) {
    if (err instanceof MoneyError) fail('price', err.message);
    throw err;
  }
  try {
    if (input.price_minor !== undefined) {
      checkMinor(input.price_minor);
      fromMinor = input.price_minor;
    }
  } catch (err) {
    if (err instanceof MoneyError) fail('price_minor', err.message);
    throw err;
  }
  if (fromMajor !== undefined && fromMinor !== undefined && fromMajor !== fromMinor) {
    fail('price_minor', `price ${input.price} ${currency} is ${fromMajor} minor units, not ${fromMinor}; send one of them`);
  }
  const minor = fromMajor ?? fromMinor;
  if (minor === undefined && required) fail('price', 'required: price (major units) or price_minor (integer minor units)');
  return minor;
}

