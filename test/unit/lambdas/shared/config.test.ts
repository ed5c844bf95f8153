import { booleanEnv, enumEnv, listEnv, numberEnv, optionalEnv, requiredEnv } from '../../../../lambdas/shared/config';
import { ConfigurationError } from '../../../../lambdas/shared/errors';
import { withEnvironment } from '../../../support/environment';

const KEY = 'UNIT_TEST_CONFIG_VALUE';

const withValue = <T>(value: string | undefined, read: () => T): T => withEnvironment({ [KEY]: value }, read);

function failure(value: string | undefined, read: () => unknown): ConfigurationError {
  try {
    withValue(value, read);
  } catch (err) {
    return err as ConfigurationError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('environment helpers', () => {
  it('a required value: present (trimmed), or a ConfigurationError naming the variable when missing or empty', () => {
    expect(withValue(' orders-table ', () => requiredEnv(KEY))).toBe('orders-table');
    for (const missing of [undefined, '', '   ']) {
      const err = failure(missing, () => requiredEnv(KEY));
      expect(err).toBeInstanceOf(ConfigurationError);
      expect(err).toMatchObject({ variable: KEY, message: `environment variable ${KEY} is required but not set` });
    }
  });

  it('an optional value: its default (or undefined) when unset or empty', () => {
    expect(withValue(undefined, () => optionalEnv(KEY, 'products'))).toBe('products');
    expect(withValue('', () => optionalEnv(KEY, 'products'))).toBe('products');
    expect(withValue('items', () => optionalEnv(KEY, 'products'))).toBe('items');
    expect(withValue(undefined, () => optionalEnv(KEY))).toBeUndefined();
  });

  it('a number: its default when unset, the value when finite, refused when malformed', () => {
    expect(withValue(undefined, () => numberEnv(KEY, 3000))).toBe(3000);
    expect(withValue('', () => numberEnv(KEY, 3000))).toBe(3000);
    expect(withValue('250', () => numberEnv(KEY, 3000))).toBe(250);
    expect(withValue('0.5', () => numberEnv(KEY, 3000))).toBe(0.5);
    for (const bad of ['3s', 'NaN', 'Infinity', '1e999']) {
      expect(failure(bad, () => numberEnv(KEY, 3000))).toMatchObject({ variable: KEY, message: `environment variable ${KEY} must be a number, got ${JSON.stringify(bad)}` });
    }
  });

  it('a boolean: true or false in any case, its default when unset, refused otherwise', () => {
    expect(withValue(undefined, () => booleanEnv(KEY, true))).toBe(true);
    expect(withValue(undefined, () => booleanEnv(KEY, false))).toBe(false);
    expect(withValue('false', () => booleanEnv(KEY, true))).toBe(false);
    expect(withValue('TRUE', () => booleanEnv(KEY, false))).toBe(true);
    for (const bad of ['yes', '1', 'off']) {
      expect(failure(bad, () => booleanEnv(KEY, true))).toMatchObject({ variable: KEY, message: `environment variable ${KEY} must be true or false, got ${JSON.stringify(bad)}` });
    }
  });

  it('one of a set of words: exactly, its default when unset, refused otherwise', () => {
    const modes = ['iam', 'none'] as const;
    expect(withValue(undefined, () => enumEnv(KEY, modes, 'iam'))).toBe('iam');
    expect(withValue('none', () => enumEnv(KEY, modes, 'iam'))).toBe('none');
    expect(failure('IAM', () => enumEnv(KEY, modes, 'iam'))).toMatchObject({ message: `environment variable ${KEY} must be one of iam, none, got "IAM"` });
  });

  it('a list: comma-separated, blanks dropped, empty when unset', () => {
    expect(withValue('127.0.0.1:9092, 127.0.0.1:9093,,', () => listEnv(KEY))).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(withValue(undefined, () => listEnv(KEY))).toEqual([]);
  });
});
