/** TagResource and UntagResource. */
import { validation } from '../errors';
import type { Input } from '../protocol';
import { requiredString, type SecretsService } from '../service';
import { mergeTags, tagList } from './common';

export function tagResource(svc: SecretsService, input: Input) {
  const s = svc.find(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  const tags = tagList(input);
  if (!tags) throw validation('tags', undefined, 'Member must not be null');
  s.tags = mergeTags(s.tags, tags);
  svc.store.save();
  return {};
}

export function untagResource(svc: SecretsService, input: Input) {
  const s = svc.find(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw validation('tagKeys', keys, 'Member must be a list of strings');
  s.tags = s.tags.filter((t) => !keys.includes(t.Key));
  svc.store.save();
  return {};
}
