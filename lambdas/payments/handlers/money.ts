/** An amount as the API takes it (`amount` in major units, or `amount_minor`) to minor units, or a 422 naming the field. */
import { MoneyError, ValidationError } from '../../shared/errors';
import { checkMinor, toMinor } from '../../shared/money';

function field<T>(name: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof MoneyError) throw new ValidationError('amount is invalid', [{ field: name, message: err.message.replace(/^price(_minor)?/, name) }]);
    throw err;
  }
}

export function amountMinorOf(body: { amount?: number; amount_minor?: number }, currency: string, required: boolean): number | undefined {
  const fromMajor = body.amount === undefined ? undefined : field('amount', () => toMinor(body.amount!, currency));
  if (body.amount_minor !== undefined) field('amount_minor', () => checkMinor(body.amount_minor!));
  if (fromMajor !== undefined && body.amount_minor !== undefined && fromMajor !== body.amount_minor) {
    throw new ValidationError('amount is invalid', [{ field: 'amount_minor', message: `amount ${body.amount} ${currency} is ${fromMajor} minor units, not ${body.amount_minor}; send one of them` }]);
  }
  const minor = fromMajor ?? body.amount_minor;
  if (minor === undefined && required) {
    throw new ValidationError('amount is invalid', [{ field: 'amount', message: 'required: amount (major units, with currency) or amount_minor (integer minor units)' }]);
  }
  return minor;
}
