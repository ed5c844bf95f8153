/**
 * AWS::SecretsManager::Secret on the local Secrets Manager. Ref (and GetAtt Id) is the secret's
 * ARN, as CloudFormation answers; its random six-letter suffix is derived from the stack and
 * logical id here, so a restart computes the same ARN and finds the same secret (and value).
 */
import { createHash } from 'node:crypto';
import { arn, generatedName, nameOr } from '../physical-ids';
import type { ResourceIdentity, ResourceModule } from '../types';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Six letters, stable for a resource (AWS draws them at random). */
function suffix(r: ResourceIdentity): string {
  const digest = createHash('sha256').update(`${r.region}/${r.accountId}/${r.stackName}/${r.logicalId}`).digest();
  return Array.from(digest.subarray(0, 6), (b) => LETTERS[b % LETTERS.length]).join('');
}

const secretName = (r: ResourceIdentity) => nameOr(r, 'Name', generatedName(r));

export const secretsManagerSecret: ResourceModule = {
  types: ['AWS::SecretsManager::Secret'],
  effect: 'emulated',
  needs: 'secretsmanager',
  ref: (r) => arn(r, 'secretsmanager', `secret:${secretName(r)}-${suffix(r)}`),
  attribute: (r, name) => (name === 'Id' ? r.ref : undefined),
  async deploy(r, ctx) {
    const out = ctx.services.secretsmanager!.deploySecret(r.properties, { name: secretName(r), arn: r.ref });
    return { Ref: out.Ref, Id: out.Id };
  },
};
