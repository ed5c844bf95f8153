/** GetRandomPassword (see ../password.ts for the rules). */
import type { Input } from '../protocol';
import { optionalBoolean, optionalInteger, optionalString, type SecretsService } from '../service';
import { randomPassword } from '../password';

export function getRandomPassword(_svc: SecretsService, input: Input) {
  return {
    RandomPassword: randomPassword({
      PasswordLength: optionalInteger(input, 'PasswordLength', 'passwordLength'),
      ExcludeCharacters: optionalString(input, 'ExcludeCharacters', 'excludeCharacters', { max: 4096 }),
      ExcludeNumbers: optionalBoolean(input, 'ExcludeNumbers', 'excludeNumbers'),
      ExcludePunctuation: optionalBoolean(input, 'ExcludePunctuation', 'excludePunctuation'),
      ExcludeUppercase: optionalBoolean(input, 'ExcludeUppercase', 'excludeUppercase'),
      ExcludeLowercase: optionalBoolean(input, 'ExcludeLowercase', 'excludeLowercase'),
      IncludeSpace: optionalBoolean(input, 'IncludeSpace', 'includeSpace'),
      RequireEachIncludedType: optionalBoolean(input, 'RequireEachIncludedType', 'requireEachIncludedType'),
    }),
  };
}
