/** What the operations share: reading a secret value from a request and describing a secret. */
import { invalidParameter, validation } from '../errors';
import type { Input } from '../protocol';
import { day, optionalString, seconds } from '../service';
import type { Secret, SecretVersion, Tag } from '../store';

export const MAX_SECRET_STRING = 65_536;

/** SecretString or SecretBinary (base64), at most one of them; undefined when neither is sent. */
export function secretValue(input: Input): Pick<SecretVersion, 'string' | 'binary'> | undefined {
  const string = optionalString(input, 'SecretString', 'secretString', { max: MAX_SECRET_STRING });
  const binary = optionalString(input, 'SecretBinary', 'secretBinary');
  if (string !== undefined && binary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (binary !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(binary) || binary.length % 4 !== 0) throw validation('secretBinary', '***', 'Member must be base64-encoded');
    if (Buffer.from(binary, 'base64').length > MAX_SECRET_STRING) throw validation('secretBinary', '***', `Member must have length less than or equal to ${MAX_SECRET_STRING}`);
    return { binary };
  }
  return string === undefined ? undefined : { string };
}

export function sameValue(v: SecretVersion, value: Pick<SecretVersion, 'string' | 'binary'>): boolean {
  return v.string === value.string && v.binary === value.binary;
}

export function tagList(input: Input, key = 'Tags'): Tag[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw validation('tags', v, 'Member must be a list');
  return v.map((t, i) => {
    const tag = (t ?? {}) as Record<string, unknown>;
    if (typeof tag.Key !== 'string' || tag.Key.length < 1 || tag.Key.length > 128) throw validation(`tags.${i + 1}.member.key`, tag.Key, 'Member must have length between 1 and 128');
    if (typeof tag.Value !== 'string' || tag.Value.length > 256) throw validation(`tags.${i + 1}.member.value`, tag.Value, 'Member must have length less than or equal to 256');
    return { Key: tag.Key, Value: tag.Value };
  });
}

/** Tags merged by key: a new value replaces the old one. */
export function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(current.map((t) => [t.Key, t]));
  for (const t of added) byKey.set(t.Key, t);
  return [...byKey.values()];
}

export function versionsToStages(s: Secret): Record<string, string[]> {
  return Object.fromEntries(s.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, [...v.stages]]));
}

/** The members DescribeSecret and ListSecrets share (absent ones are left out, as the service does). */
export function describe(s: Secret): Record<string, unknown> {
  return {
    ARN: s.arn,
    Name: s.name,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    LastChangedDate: seconds(s.lastChanged),
    LastAccessedDate: day(s.lastAccessed),
    DeletedDate: seconds(s.deletedAt),
    Tags: s.tags.length ? s.tags : undefined,
    CreatedDate: seconds(s.created),
  };
}
