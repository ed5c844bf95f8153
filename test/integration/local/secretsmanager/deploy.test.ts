/**
 * AWS::SecretsManager::Secret through the template deployer onto the local Secrets Manager: Ref
 * and GetAtt Id are the ARN (stable across a restart, which also keeps the generated value),
 * GenerateSecretString's settings are honoured, and a resource referencing the secret gets its
 * ARN; the SDK reads the value by name and by that ARN.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StackArtifact } from '../../../../local/deployer/cloud-assembly';
import { deploy } from '../../../../local/deployer/deploy';
import { startSecretsManagerServer, type SecretsManagerServer } from '../../../../local/secretsmanager';

const template: StackArtifact['template'] = {
  Resources: {
    // listed first: it references the secret, so the deployer creates it after
    Pointer: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'pointer', SecretString: { 'Fn::Sub': '{"key_arn":"${ProviderKey}","id":"${ProviderKey.Id}"}' } } },
    ProviderKey: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { Name: 'platform/provider-key', Description: 'provider', GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } },
    },
    Unnamed: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { SecretStringTemplate: '{"user":"app"}', GenerateStringKey: 'password', ExcludeCharacters: 'abc' } } },
  },
};
const stack: StackArtifact = { stackName: 'SecretsTest', template, assets: new Map() };

describe('the template deployer with secrets', () => {
  let dataDir: string;
  let server: SecretsManagerServer;
  let sm: SecretsManagerClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-deploy-'));
    server = await startSecretsManagerServer({ dataDir, region: 'us-east-1', accountId: '000000000000' });
    sm = new SecretsManagerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
  });

  afterAll(async () => {
    sm.destroy();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const run = () => deploy([stack], { region: 'us-east-1', accountId: '000000000000', log: () => undefined, services: { secretsmanager: server.secretsManager } });

  it('creates the secrets with generated values; Ref and Id are the ARN', async () => {
    const d = await run();
    expect(Object.fromEntries(d.emulated)).toEqual({ 'AWS::SecretsManager::Secret': 3 });
    const ref = d.resources.find((r) => r.logicalId === 'ProviderKey')!.ref;
    expect(ref).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:platform\/provider-key-[A-Za-z]{6}$/);
    const value = await sm.send(new GetSecretValueCommand({ SecretId: ref }));
    expect(value.Name).toBe('platform/provider-key');
    expect(value.SecretString).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: 'pointer' }))).SecretString!)).toEqual({ key_arn: ref, id: ref });
    const unnamed = d.resources.find((r) => r.logicalId === 'Unnamed')!.ref;
    expect(unnamed).toContain(':secret:SecretsTest-Unnamed-');
    const doc = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: unnamed }))).SecretString!);
    expect(doc.user).toBe('app');
    expect(doc.password).toHaveLength(32);
    expect(doc.password).not.toMatch(/[abc]/);
  });

  it('finds the same ARNs and values on a redeploy, as after a restart', async () => {
    const before = (await sm.send(new GetSecretValueCommand({ SecretId: 'platform/provider-key' }))).SecretString;
    const firstRef = (await run()).resources.find((r) => r.logicalId === 'ProviderKey')!.ref;
    await server.close();
    server = await startSecretsManagerServer({ dataDir, region: 'us-east-1', accountId: '000000000000' });
    sm.destroy();
    sm = new SecretsManagerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
    const again = await run();
    expect(again.resources.find((r) => r.logicalId === 'ProviderKey')!.ref).toBe(firstRef);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: firstRef }))).SecretString).toBe(before);
  });
});
