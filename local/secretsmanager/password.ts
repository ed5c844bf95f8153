/**
 * Random passwords as GetRandomPassword and CloudFormation's GenerateSecretString make them: the
 * character classes (lower, upper, digits, the 32 ASCII punctuation marks, optionally space)
 * minus the excluded ones, at least one of each included class unless RequireEachIncludedType is
 * false, from a cryptographic source (crypto.randomInt: no modulo bias).
 */
import { randomInt } from 'node:crypto';
import { invalidParameter, validation } from './errors';

export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

export interface PasswordOptions {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
}

export const DEFAULT_PASSWORD_LENGTH = 32;
export const MAX_PASSWORD_LENGTH = 4096;

/** `pick(n)` gives an integer in [0, n); tests pass a seeded one. */
export function randomPassword(o: PasswordOptions, pick: (n: number) => number = randomInt): string {
  const length = o.PasswordLength ?? DEFAULT_PASSWORD_LENGTH;
  if (!Number.isInteger(length) || length < 1 || length > MAX_PASSWORD_LENGTH) {
    throw validation('passwordLength', length, `Member must have value ${length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_PASSWORD_LENGTH}`}`);
  }
  const excluded = new Set(o.ExcludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  const classes = [
    o.ExcludeLowercase ? '' : keep(LOWER),
    o.ExcludeUppercase ? '' : keep(UPPER),
    o.ExcludeNumbers ? '' : keep(DIGITS),
    o.ExcludePunctuation ? '' : keep(PUNCTUATION),
    o.IncludeSpace ? keep(' ') : '',
  ].filter((c) => c.length > 0);
  const all = classes.join('');
  if (all.length === 0) throw invalidParameter('The password has no characters to choose from: every character type is excluded.');
  const requireEach = o.RequireEachIncludedType ?? true;
  if (requireEach && length < classes.length) throw invalidParameter('Password length is too short based on the required types.');
  const chars = Array.from({ length }, () => all[pick(all.length)]!);
  if (requireEach) {
    // one character of each class at distinct random positions
    const positions = shuffled([...Array(length).keys()], pick).slice(0, classes.length);
    classes.forEach((set, i) => (chars[positions[i]!] = set[pick(set.length)]!));
  }
  return chars.join('');
}

function shuffled<T>(items: T[], pick: (n: number) => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
