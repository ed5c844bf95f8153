/**
 * The one list of Secrets Manager operations: what this emulator answers, and what it refuses
 * with the reason (answered as UnknownOperationException naming it).
 */
import { SecretsManagerError } from './errors';
import { getRandomPassword } from './operations/random-password';
import { createSecret, deleteSecret, describeSecret, listSecrets, restoreSecret, updateSecret } from './operations/secrets';
import { tagResource, untagResource } from './operations/tags';
import { getSecretValue, listSecretVersionIds, putSecretValue } from './operations/values';
import type { Input } from './protocol';
import type { SecretsService } from './service';

export type Operation = (svc: SecretsService, input: Input) => unknown;

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: putSecretValue,
  DescribeSecret: describeSecret,
  ListSecrets: listSecrets,
  UpdateSecret: updateSecret,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
  ListSecretVersionIds: listSecretVersionIds,
  GetRandomPassword: getRandomPassword,
  TagResource: tagResource,
  UntagResource: untagResource,
};

const ROTATION = 'rotation runs a Lambda function on a schedule; rotate by PutSecretValue instead';
const POLICIES = 'resource policies are not enforced locally (every local caller may read every secret)';
const REPLICATION = 'there is one local Region; secrets are not replicated';

export const NOT_EMULATED: Readonly<Record<string, string>> = {
  RotateSecret: ROTATION,
  CancelRotateSecret: ROTATION,
  UpdateSecretVersionStage: 'staging labels move only with PutSecretValue and UpdateSecret here',
  BatchGetSecretValue: 'read secrets one at a time with GetSecretValue',
  GetResourcePolicy: POLICIES,
  PutResourcePolicy: POLICIES,
  DeleteResourcePolicy: POLICIES,
  ValidateResourcePolicy: POLICIES,
  ReplicateSecretToRegions: REPLICATION,
  RemoveRegionsFromReplication: REPLICATION,
  StopReplicationToReplica: REPLICATION,
};

export function resolveOperation(svc: SecretsService, name: string): (input: Input) => unknown {
  const op = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (op) return (input) => op(svc, input);
  const why = Object.hasOwn(NOT_EMULATED, name) ? NOT_EMULATED[name] : undefined;
  throw new SecretsManagerError(
    'UnknownOperationException',
    why ? `The local Secrets Manager does not emulate ${name}: ${why}.` : `Operation ${name} is not part of the Secrets Manager API.`,
  );
}
