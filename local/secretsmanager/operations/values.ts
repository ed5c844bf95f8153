/** Secret values: GetSecretValue, PutSecretValue, ListSecretVersionIds. */
import { invalidParameter, invalidRequest, notFound, resourceExists, validation } from '../errors';
import type { Input } from '../protocol';
import { CURRENT, day, optionalBoolean, optionalInteger, optionalString, requiredString, seconds, type SecretsService } from '../service';
import { sameValue, secretValue } from './common';

export function getSecretValue(svc: SecretsService, input: Input) {
  const s = svc.findLive(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  const versionId = optionalString(input, 'VersionId', 'versionId', { min: 32, max: 64 });
  const stage = optionalString(input, 'VersionStage', 'versionStage', { min: 1, max: 256 });
  let version;
  if (versionId !== undefined) {
    version = s.versions.find((v) => v.id === versionId);
    if (!version) throw notFound(`Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
    if (stage !== undefined && !version.stages.includes(stage)) throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
  } else {
    const wanted = stage ?? CURRENT;
    version = s.versions.find((v) => v.stages.includes(wanted));
    if (!version) throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${wanted}`);
  }
  const now = svc.now();
  // kept to the day, as reported: write only when the day changes, not on every read
  if (day(s.lastAccessed) !== day(now)) {
    s.lastAccessed = now;
    version.lastAccessed = now;
    svc.store.save();
  }
  return {
    ARN: s.arn,
    Name: s.name,
    VersionId: version.id,
    SecretString: version.string,
    SecretBinary: version.binary,
    VersionStages: [...version.stages],
    CreatedDate: seconds(version.created),
  };
}

export function putSecretValue(svc: SecretsService, input: Input) {
  const s = svc.findLive(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  const value = secretValue(input);
  if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
  const versionId = svc.versionId(input);
  const stagesRaw = input.VersionStages;
  let stages = [CURRENT];
  if (stagesRaw !== undefined && stagesRaw !== null) {
    if (!Array.isArray(stagesRaw) || stagesRaw.length < 1 || stagesRaw.length > 20 || stagesRaw.some((x) => typeof x !== 'string' || x.length < 1 || x.length > 256)) {
      throw validation('versionStages', stagesRaw, 'Member must be a list of 1 to 20 labels of 1 to 256 characters');
    }
    stages = [...new Set(stagesRaw as string[])];
  }
  const existing = s.versions.find((v) => v.id === versionId);
  if (existing) {
    // a retried call with the same token and value changes nothing
    if (!sameValue(existing, value)) throw resourceExists("You can't modify an existing version, you can only create new versions.");
    return { ARN: s.arn, Name: s.name, VersionId: existing.id, VersionStages: [...existing.stages] };
  }
  const added = svc.addVersion(s, { id: versionId, ...value }, stages);
  svc.store.save();
  return { ARN: s.arn, Name: s.name, VersionId: added.id, VersionStages: [...added.stages] };
}

export function listSecretVersionIds(svc: SecretsService, input: Input) {
  const s = svc.find(requiredString(input, 'SecretId', 'secretId', { min: 1, max: 2048 }));
  const includeDeprecated = optionalBoolean(input, 'IncludeDeprecated', 'includeDeprecated') ?? false;
  const max = optionalInteger(input, 'MaxResults', 'maxResults') ?? 100;
  if (max < 1 || max > 100) throw validation('maxResults', max, 'Member must have value between 1 and 100');
  const versions = s.versions
    .filter((v) => includeDeprecated || v.stages.length > 0)
    .slice(0, max)
    .map((v) => ({ VersionId: v.id, VersionStages: [...v.stages], LastAccessedDate: day(v.lastAccessed), CreatedDate: seconds(v.created) }));
  return { Versions: versions, ARN: s.arn, Name: s.name };
}
