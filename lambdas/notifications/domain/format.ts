/**
 * How amounts, dates and markup appear in a message: money from integer minor units in the
 * currency's own digits (lambdas/shared/money.ts) and the customer's locale, never through a
 * binary fraction; HTML with every interpolated value escaped.
 */
import { minorDigits } from '../../shared/money';

export const DEFAULT_LOCALE = 'en-US';

/** The locale if Intl knows it, else the default (a stored locale is checked when saved, this is the safety net). */
export function usableLocale(locale: string | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** The exact decimal of `minor` minor units, e.g. 59998 USD -> "599.98", 1500 JPY -> "1500". */
export function decimalOf(minor: number, currency: string): `${number}` {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = Math.abs(Math.trunc(minor)).toString().padStart(digits + 1, '0');
  return (digits ? `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}` : `${sign}${text}`) as `${number}`;
}

/**
 * `minor` minor units of `currency` as the customer reads money ("$599.98", "599,98 €",
 * "¥1,500"). Intl formats the exact decimal string (ES2023 Intl.NumberFormat accepts one), with
 * ISO 4217's digits rather than CLDR's.
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(usableLocale(locale), {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimalOf(minor, currency));
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Trusted markup: what `html` builds, inserted as is by another `html`. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/**
 * A tagged template for HTML: every interpolated value is escaped unless it is Markup (built by
 * this tag); arrays are joined. Written here rather than taken from a template engine: the
 * templates are TypeScript functions over typed data, and this is the one thing they need.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  const piece = (v: unknown): string => (v instanceof Markup ? v.value : Array.isArray(v) ? v.map(piece).join('') : v === undefined || v === null ? '' : escapeHtml(v));
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]) : ''), ''));
}

/** Cuts a text to `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
