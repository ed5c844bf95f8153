/** Random passwords and GenerateSecretString, on a seeded source. */
import { generateSecretString } from '../../../../local/secretsmanager/deploy';
import { randomPassword } from '../../../../local/secretsmanager/password';

/** A deterministic pick(n): a linear congruential sequence. */
function seeded(seed = 42) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

describe('randomPassword', () => {
  it('uses only the included characters and, by default, at least one of each included type', () => {
    for (let seed = 1; seed < 200; seed++) {
      const p = randomPassword({ PasswordLength: 4, ExcludePunctuation: true }, seeded(seed));
      expect(p).toHaveLength(4);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
    }
  });

  it('may leave a type out when RequireEachIncludedType is false', () => {
    const passwords = Array.from({ length: 200 }, (_, seed) => randomPassword({ PasswordLength: 3, ExcludePunctuation: true, RequireEachIncludedType: false }, seeded(seed)));
    expect(passwords.some((p) => !/[0-9]/.test(p))).toBe(true);
  });

  it('includes a space only when asked, and excludes single characters', () => {
    const spaced = randomPassword({ PasswordLength: 50, IncludeSpace: true, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }, seeded(7));
    expect(spaced).toMatch(/^[0-9 ]+$/);
    expect(spaced).toContain(' ');
    expect(randomPassword({ PasswordLength: 200, ExcludeCharacters: 'aeiou' }, seeded(3))).not.toMatch(/[aeiou]/);
  });

  it('refuses an impossible request', () => {
    expect(() => randomPassword({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true })).toThrow(/no characters/);
    expect(() => randomPassword({ PasswordLength: 4097 })).toThrow(/less than or equal to 4096/);
  });
});

describe('generateSecretString', () => {
  it('puts the password under GenerateStringKey in the template, and wants both or neither', () => {
    const value = JSON.parse(generateSecretString({ SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: 'password', PasswordLength: 16 }, seeded(1)));
    expect(Object.keys(value)).toEqual(['username', 'password']);
    expect(value.password).toHaveLength(16);
    expect(() => generateSecretString({ GenerateStringKey: 'password' })).toThrow(/both/);
    expect(() => generateSecretString({ SecretStringTemplate: '[1]', GenerateStringKey: 'k' })).toThrow(/JSON object/);
  });
});
