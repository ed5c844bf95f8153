/**
 * Reading the environment: the one module under lambdas/ that touches it (through Powertools'
 * getStringFromEnv, which trims values). Each helper throws a ConfigurationError naming the
 * variable when a required value is missing or a value is malformed, so a function whose
 * configuration is wrong fails its cold start with a clear message, not some later request.
 * An empty value counts as unset.
 *
 * The helpers read when called. Which variables exist, and when they are read, is each
 * service's `env.ts`; its readers are called once, at module load of the function's
 * dependencies.
 */
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ConfigurationError } from './errors';

const raw = (key: string): string => getStringFromEnv({ key, defaultValue: '' });

function malformed(key: string, expected: string, value: string): ConfigurationError {
  return new ConfigurationError(key, `environment variable ${key} must be ${expected}, got ${JSON.stringify(value)}`);
}

export function requiredEnv(key: string): string {
  const value = raw(key);
  if (value === '') throw new ConfigurationError(key, `environment variable ${key} is required but not set`);
  return value;
}

/** The value, or `defaultValue` when unset (undefined when no default is given). */
export function optionalEnv(key: string): string | undefined;
export function optionalEnv(key: string, defaultValue: string): string;
export function optionalEnv(key: string, defaultValue?: string): string | undefined {
  const value = raw(key);
  return value === '' ? defaultValue : value;
}

/** A finite number. */
export function numberEnv(key: string, defaultValue: number): number {
  const value = raw(key);
  if (value === '') return defaultValue;
  const n = Number(value);
  if (!Number.isFinite(n)) throw malformed(key, 'a number', value);
  return n;
}

/** `true` or `false`, in any case. */
export function booleanEnv(key: string, defaultValue: boolean): boolean {
  const value = raw(key).toLowerCase();
  if (value === '') return defaultValue;
  if (value !== 'true' && value !== 'false') throw malformed(key, 'true or false', raw(key));
  return value === 'true';
}

/** One of a fixed set of words, exactly. */
export function enumEnv<const T extends string>(key: string, allowed: readonly T[], defaultValue: T): T {
  const value = raw(key);
  if (value === '') return defaultValue;
  if (!(allowed as readonly string[]).includes(value)) throw malformed(key, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

/** A comma-separated list; blanks around and between items are dropped. */
export function listEnv(key: string): string[] {
  return raw(key)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
