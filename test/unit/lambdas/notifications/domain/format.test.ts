import { decimalOf, escapeHtml, formatMoney, html, clip, usableLocale } from '../../../../../lambdas/notifications/domain/format';

describe('money in the customer\'s currency', () => {
  it.each([
    [59998, 'USD', 'en-US', '$599.98'],
    [5, 'USD', 'en-US', '$0.05'],
    [123456789, 'EUR', 'de-DE', '1.234.567,89\u00a0€'],
    [1500, 'JPY', 'en-US', '¥1,500'],
    [1234, 'KWD', 'en-US', 'KWD\u00a01.234'],
    [0, 'GBP', 'en-GB', '£0.00'],
  ])('%i minor units of %s in %s read %s', (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale)).toBe(expected);
  });

  it('formats the exact decimal, never a binary fraction', () => {
    expect(decimalOf(1_000_000_000_000_01, 'USD')).toBe('1000000000000.01');
    expect(formatMoney(1_000_000_000_000_01, 'USD', 'en-US')).toBe('$1,000,000,000,000.01');
    expect(decimalOf(-250, 'USD')).toBe('-2.50');
    expect(decimalOf(7, 'BHD')).toBe('0.007');
  });

  it('falls back to en-US for a locale Intl does not know', () => {
    expect(usableLocale('xx-INVALID-locale-!!')).toBe('en-US');
    expect(usableLocale(undefined)).toBe('en-US');
    expect(formatMoney(100, 'USD', 'not a locale')).toBe('$1.00');
  });

  it('refuses a currency the platform does not price in', () => {
    expect(() => formatMoney(100, 'XYZ')).toThrow('currency XYZ is not supported');
  });
});

describe('HTML', () => {
  it('escapes every interpolated value, keeps markup built by the tag, joins arrays', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const name = '<script>alert(1)</script>';
    const row = html`<li>${name}</li>`;
    expect(html`<ul>${[row, row]}</ul>`.value).toBe('<ul><li>&lt;script&gt;alert(1)&lt;/script&gt;</li><li>&lt;script&gt;alert(1)&lt;/script&gt;</li></ul>');
    expect(html`<p>${undefined}${null}${0}</p>`.value).toBe('<p>0</p>');
  });

  it('clips long texts with an ellipsis, by characters', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('😀😀😀😀', 3)).toBe('😀😀…');
  });
});
