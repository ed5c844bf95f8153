import { MoneyError } from '../../../../lambdas/shared/errors';
import { checkMinor, minorDigits, toMajor, toMinor } from '../../../../lambdas/shared/money';

describe('money', () => {
  it('converts major units to integer minor units exactly', () => {
    expect(toMinor(299.99, 'USD')).toBe(29999);
    expect(toMinor(0.1, 'USD')).toBe(10);
    expect(toMinor(1.005, 'KWD')).toBe(1005);
    expect(toMinor(1500, 'JPY')).toBe(1500);
    expect(toMinor(0, 'EUR')).toBe(0);
    expect(toMinor(19.9, 'EUR')).toBe(1990);
  });

  it('refuses more decimals than the currency has, a negative or non-finite price', () => {
    expect(() => toMinor(299.999, 'USD')).toThrow(/more than 2 decimal places/);
    expect(() => toMinor(10.5, 'JPY')).toThrow(/more than 0 decimal places/);
    expect(() => toMinor(1.0001, 'KWD')).toThrow(MoneyError);
    expect(() => toMinor(1e-7, 'USD')).toThrow(MoneyError);
    expect(() => toMinor(-1, 'USD')).toThrow(/negative/);
    expect(() => toMinor(Number.NaN, 'USD')).toThrow(/finite/);
    expect(() => toMinor(1e21, 'USD')).toThrow(/at most/);
  });

  it('converts back to major units that print as the client wrote them', () => {
    expect(toMajor(29999, 'USD')).toBe(299.99);
    expect(String(toMajor(1005, 'KWD'))).toBe('1.005');
    expect(toMajor(1500, 'JPY')).toBe(1500);
    for (const cents of [1, 7, 10, 99, 101, 12345, 999999]) expect(toMinor(toMajor(cents, 'USD'), 'USD')).toBe(cents);
  });

  it('knows ISO 4217 minor units and refuses unknown currencies', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
    expect(() => minorDigits('XYZ')).toThrow(/not supported/);
  });

  it('checks minor units', () => {
    expect(() => checkMinor(10.5)).toThrow(/integer/);
    expect(() => checkMinor(-1)).toThrow(/negative/);
    expect(() => checkMinor(2 ** 60)).toThrow();
    expect(() => checkMinor(29999)).not.toThrow();
  });
});
