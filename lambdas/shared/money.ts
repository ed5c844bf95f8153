/**
 * Money of the platform: integer minor units with an ISO 4217 currency. The API accepts a price
 * in major units (a decimal, as the original platform did) or in minor units; everything past
 * the edge is integer minor units, so no sum or comparison ever meets a binary fraction.
 *
 * The minor-unit table is data (ISO 4217's "minor unit" column for the currencies a shop is
 * likely to price in) rather than Intl's: Intl answers with CLDR's display digits, which differ
 * from ISO 4217 for some currencies and accept any three letters as a code.
 */
import { MoneyError } from './errors';

/** ISO 4217 minor units of the supported currencies. */
export const CURRENCY_MINOR_DIGITS: Readonly<Record<string, number>> = Object.freeze({
  // two decimals
  USD: 2, EUR: 2, GBP: 2, CHF: 2, CAD: 2, AUD: 2, NZD: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, HUF: 2, RON: 2,
  BGN: 2, TRY: 2, ILS: 2, ZAR: 2, MXN: 2, BRL: 2, ARS: 2, COP: 2, PEN: 2, INR: 2, CNY: 2, HKD: 2, SGD: 2, TWD: 2,
  THB: 2, MYR: 2, PHP: 2, IDR: 2, AED: 2, SAR: 2, QAR: 2, EGP: 2, NGN: 2, KES: 2, MAD: 2, UAH: 2, PKR: 2,
  // no decimals
  JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, PYG: 0, UGX: 0, XAF: 0, XOF: 0, XPF: 0, RWF: 0, KMF: 0, GNF: 0, DJF: 0,
  BIF: 0, VUV: 0,
  // three decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
});

export const DEFAULT_CURRENCY = 'USD';
/** Largest price accepted, in minor units (10^12: ten billion in a two-decimal currency). */
export const MAX_PRICE_MINOR = 1_000_000_000_000;

export function isSupportedCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_MINOR_DIGITS, code);
}

export function minorDigits(currency: string): number {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  if (digits === undefined) throw new MoneyError(`currency ${currency} is not supported`);
  return digits;
}

/**
 * A price in major units (as parsed from JSON) to minor units. Works on the number's shortest
 * decimal form (what the client wrote), so 299.99 is exactly 29999 and 299.999 in a
 * two-decimal currency is refused rather than rounded.
 */
export function toMinor(major: number, currency: string): number {
  const digits = minorDigits(currency);
  if (typeof major !== 'number' || !Number.isFinite(major)) throw new MoneyError('price must be a finite number');
  if (major < 0) throw new MoneyError('price must not be negative');
  if (major * 10 ** digits > MAX_PRICE_MINOR) throw new MoneyError(`price must be at most ${toMajor(MAX_PRICE_MINOR, currency)}`);
  const text = major.toString();
  // Exponent forms only appear for tiny values here (large ones failed the range check above).
  if (/e/i.test(text)) throw new MoneyError(`price has more than ${digits} decimal places for ${currency}`);
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > digits) {
    throw new MoneyError(`price has more than ${digits} decimal place${digits === 1 ? '' : 's'} for ${currency}`);
  }
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units to major units (a number: the nearest double to the exact decimal, which prints as it). */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** Checks a price already in minor units. */
export function checkMinor(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new MoneyError('price_minor must be an integer');
  if (minor < 0) throw new MoneyError('price_minor must not be negative');
  if (minor > MAX_PRICE_MINOR) throw new MoneyError(`price_minor must be at most ${MAX_PRICE_MINOR}`);
}
