/** The secret's life: CreateSecret, DescribeSecret, UpdateSecret, DeleteSecret, RestoreSecret, ListSecrets. */
import { invalidNextToken, invalidParameter, invalidRequest, markedForDeletion, notFound, resourceExists, validation } from '../errors';
import type { Input } from '../protocol';
import { checkName, CURRENT, optionalBoolean, optionalInteger, optionalString, requiredString, seconds, type SecretsService } from '../service';
import type { Secret } from '../store';
import { describe, sameValue, secretValue, tagList, versionsToStages } from './common';

const DAY_MS = 86_400_000;

export function createSecret(svc: SecretsService, input: Input) {
  const name = requiredString(input, 'Name', 'name');
  checkName(name);
  if (input.AddReplicaRegions !== undefined) throw invalidRequest('The local Secrets Manager does not replicate secrets to other Regions.');
  const value = secretValue(input);
  const versionId = svc.versionId(input);
  const description = optionalString(input, 'Description', 'description', { max: 2048 });
  const kmsKeyId = optionalString(input, 'KmsKeyId', 'kmsKeyId', { max: 2048 });
  const tags = tagList(input) ?? [];
  const existing = svc.lookup(name);
  if (existing) {
    if (existing.deletedAt !== undefined) throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
    // a retried CreateSecret (same token, same value) succeeds again, as the idempotency token promises
    const same = existing.versions.find((v) => v.id === versionId);
    if (same && value && sameValue(same, value)) return { ARN: existing.arn, Name: existing.name, VersionId: same.id };
    throw resourceExists(`The operation failed because the secret ${name} already exists.`);
  }
  const now = svc.now();
  const secret: Secret = { arn: svc.newArn(name), name, description, kmsKeyId, tags, created: now, lastChanged: now, versions: [] };
  if (value) svc.addVersion(secret, { id: versionId, ...value }, [CURRENT]);
  svc.store.put(secret);
  return { ARN: secret.arn, Name: secret.name, VersionId: value ? versionId : undefined };
}

export function describeSecret(svc: SecretsService, input: Input) {
  const s = svc.find(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  return { ...describe(s), VersionIdsToStages: versionsToStages(s) };
}

export function updateSecret(svc: SecretsService, input: Input) {
  const s = svc.findLive(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  const value = secretValue(input);
  const versionId = svc.versionId(input);
  const description = optionalString(input, 'Description', 'description', { max: 2048 });
  const kmsKeyId = optionalString(input, 'KmsKeyId', 'kmsKeyId', { max: 2048 });
  if (description !== undefined) s.description = description;
  if (kmsKeyId !== undefined) s.kmsKeyId = kmsKeyId;
  let newVersion: string | undefined;
  if (value) {
    const same = s.versions.find((v) => v.id === versionId);
    if (same) {
      if (!sameValue(same, value)) throw resourceExists("You can't modify an existing version, you can only create new versions.");
    } else newVersion = svc.addVersion(s, { id: versionId, ...value }, [CURRENT]).id;
  }
  s.lastChanged = svc.now();
  svc.store.save();
  return { ARN: s.arn, Name: s.name, VersionId: newVersion };
}

export function deleteSecret(svc: SecretsService, input: Input) {
  const id = requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 });
  const window = optionalInteger(input, 'RecoveryWindowInDays', 'recoveryWindowInDays');
  const force = optionalBoolean(input, 'ForceDeleteWithoutRecovery', 'forceDeleteWithoutRecovery') ?? false;
  if (force && window !== undefined) throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  if (window !== undefined && (window < 7 || window > 30)) throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  const now = svc.now();
  const s = svc.lookup(id);
  if (force) {
    // a forced delete of a missing secret succeeds as well (the service documents it)
    if (s) svc.store.remove(s.arn);
    return { ARN: s?.arn ?? (id.startsWith('arn:') ? id : undefined), Name: s?.name ?? (id.startsWith('arn:') ? undefined : id), DeletionDate: seconds(now) };
  }
  if (!s) throw notFound();
  if (s.deletedAt !== undefined) throw markedForDeletion();
  s.deletedAt = now;
  s.deletionDate = now + (window ?? 30) * DAY_MS;
  s.lastChanged = now;
  svc.store.save();
  return { ARN: s.arn, Name: s.name, DeletionDate: seconds(s.deletionDate) };
}

export function restoreSecret(svc: SecretsService, input: Input) {
  const s = svc.find(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  if (s.deletedAt !== undefined) {
    s.deletedAt = undefined;
    s.deletionDate = undefined;
    s.lastChanged = svc.now();
    svc.store.save();
  }
  return { ARN: s.arn, Name: s.name };
}

const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const SORT_BY = { name: 'name', 'created-date': 'created', 'last-accessed-date': 'lastAccessed', 'last-changed-date': 'lastChanged' } as const;

export function listSecrets(svc: SecretsService, input: Input) {
  svc.purgeExpired();
  const max = optionalInteger(input, 'MaxResults', 'maxResults') ?? 100;
  if (max < 1 || max > 100) throw validation('maxResults', max, `Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
  const includeDeleted = optionalBoolean(input, 'IncludePlannedDeletion', 'includePlannedDeletion') ?? false;
  const sortOrder = optionalString(input, 'SortOrder', 'sortOrder') ?? 'asc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw validation('sortOrder', sortOrder, 'Member must satisfy enum value set: [asc, desc]');
  const sortBy = optionalString(input, 'SortBy', 'sortBy') ?? 'created-date';
  if (!(sortBy in SORT_BY)) throw validation('sortBy', sortBy, `Member must satisfy enum value set: [${Object.keys(SORT_BY).join(', ')}]`);
  const filters = parseFilters(input.Filters);
  const field = SORT_BY[sortBy as keyof typeof SORT_BY];
  const matching = svc.store
    .all()
    .filter((s) => (includeDeleted || s.deletedAt === undefined) && filters.every((f) => matches(s, f, svc.region)))
    .sort((a, b) => compare(a[field], b[field]) * (sortOrder === 'asc' ? 1 : -1));
  const start = decodeToken(optionalString(input, 'NextToken', 'nextToken'));
  const page = matching.slice(start, start + max);
  const next = start + max < matching.length ? encodeToken(start + max) : undefined;
  return { SecretList: page.map((s) => ({ ...describe(s), SecretVersionsToStages: versionsToStages(s) })), NextToken: next };
}

function compare(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

interface Filter {
  key: FilterKey;
  values: string[];
}

function parseFilters(raw: unknown): Filter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validation('filters', raw, 'Member must be a list');
  if (raw.length > 10) throw validation('filters', raw, 'Member must have length less than or equal to 10');
  return raw.map((f, i) => {
    const { Key, Values } = (f ?? {}) as { Key?: unknown; Values?: unknown };
    if (typeof Key !== 'string' || !(FILTER_KEYS as readonly string[]).includes(Key)) {
      throw validation(`filters.${i + 1}.member.key`, Key, `Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`);
    }
    if (!Array.isArray(Values) || Values.length < 1 || Values.length > 10 || Values.some((v) => typeof v !== 'string' || !/^!?[a-zA-Z0-9 :_@/+=.\-!]*$/.test(v))) {
      throw validation(`filters.${i + 1}.member.values`, Values, 'Member must be a list of 1 to 10 values matching ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$');
    }
    return { key: Key as FilterKey, values: Values as string[] };
  });
}

/**
 * One filter: any of its values matches (a value starting with ! matches what does not). Prefix
 * matches; description and `all` ignore case, the others do not (the service's documented rules).
 */
function matches(s: Secret, f: Filter, region: string): boolean {
  return f.values.some((raw) => {
    const negate = raw.startsWith('!');
    const value = negate ? raw.slice(1) : raw;
    let hit: boolean;
    const prefix = (candidates: Array<string | undefined>, ignoreCase = false) =>
      candidates.some((c) => c !== undefined && (ignoreCase ? c.toLowerCase().startsWith(value.toLowerCase()) : c.startsWith(value)));
    switch (f.key) {
      case 'description':
        hit = prefix([s.description], true);
        break;
      case 'name':
        hit = prefix([s.name]);
        break;
      case 'tag-key':
        hit = prefix(s.tags.map((t) => t.Key));
        break;
      case 'tag-value':
        hit = prefix(s.tags.map((t) => t.Value));
        break;
      case 'primary-region':
        hit = prefix([region]);
        break;
      case 'owning-service':
        hit = false; // no secret here is managed by another service
        break;
      case 'all': {
        const words = value.toLowerCase().split(/\s+/).filter(Boolean);
        const text = [s.name, s.description, ...s.tags.flatMap((t) => [t.Key, t.Value])].filter(Boolean).join(' ').toLowerCase();
        hit = words.every((w) => text.split(/[\s/_+=.@-]+/).some((t) => t.startsWith(w)) || text.includes(w));
        break;
      }
    }
    return negate ? !hit : hit;
  });
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // answered below
  }
  throw invalidNextToken();
}
