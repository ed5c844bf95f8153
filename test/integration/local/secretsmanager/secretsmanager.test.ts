/**
 * The local Secrets Manager through @aws-sdk/client-secrets-manager, on its own port with a temp
 * data folder and a clock the tests move: values and staging labels, lookups by name and ARN,
 * deletion with a recovery window, listing with filters and pages, random passwords, the
 * template's secrets, errors in AWS's wire shape, and state that survives a restart.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSecretsManagerServer, type SecretsManagerServer } from '../../../../local/secretsmanager';
import { PUNCTUATION } from '../../../../local/secretsmanager/password';

const DAY = 86_400_000;
let now = Date.parse('2026-12-01T10:00:00Z');
const clock = () => now;
let dataDir: string;
let server: SecretsManagerServer;
let sm: SecretsManagerClient;

async function start() {
  server = await startSecretsManagerServer({ dataDir, region: 'us-east-1', accountId: '000000000000', clock });
  sm = new SecretsManagerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secretsmanager-test-'));
  await start();
});

afterAll(async () => {
  sm.destroy();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The error a call fails with (the test fails if it succeeds). */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected the call to fail');
}

describe('secret values', () => {
  it('creates a secret and reads it by name, full ARN and partial ARN', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'one', Description: 'the database', Tags: [{ Key: 'team', Value: 'payments' }] }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z]{6}$/);
    expect(created.Name).toBe('app/db');
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const id of ['app/db', created.ARN!, created.ARN!.slice(0, -7)]) {
      const got = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      expect(got).toMatchObject({ ARN: created.ARN, Name: 'app/db', SecretString: 'one', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
      expect(got.CreatedDate).toEqual(new Date(now));
    }
  });

  it('moves AWSCURRENT to a new value and keeps the old one as AWSPREVIOUS', async () => {
    const first = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    const put = await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).SecretString).toBe('two');
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'AWSPREVIOUS' }));
    expect(previous).toMatchObject({ SecretString: 'one', VersionId: first.VersionId, VersionStages: ['AWSPREVIOUS'] });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionId: first.VersionId }))).SecretString).toBe('one');
    await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'three' }));
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'app/db' }));
    expect(versions.Versions!.map((v) => v.VersionStages)).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'app/db', IncludeDeprecated: true }));
    expect(all.Versions!.map((v) => v.VersionStages)).toEqual([[], ['AWSPREVIOUS'], ['AWSCURRENT']]);

    const mismatch = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionId: first.VersionId, VersionStage: 'AWSCURRENT' })));
    expect(mismatch.name).toBe('InvalidRequestException');
    const noStage = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'app/db', VersionStage: 'AWSPENDING' })));
    expect(noStage).toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSPENDING" });
  });

  it('treats a repeated ClientRequestToken as the same call, and refuses another value under it', async () => {
    const token = 'a'.repeat(32);
    const a = await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'four', ClientRequestToken: token }));
    const b = await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'four', ClientRequestToken: token }));
    expect(b.VersionId).toBe(a.VersionId);
    const other = await failure(sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: 'five', ClientRequestToken: token })));
    expect(other).toMatchObject({ name: 'ResourceExistsException', message: "You can't modify an existing version, you can only create new versions." });
  });

  it('keeps binary secrets as bytes', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: 'app/cert', SecretBinary: bytes }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: 'app/cert' }));
    expect(got.SecretString).toBeUndefined();
    expect(Buffer.from(got.SecretBinary!)).toEqual(Buffer.from(bytes));
  });

  it('updates the description alone without a version, and the value with one', async () => {
    const meta = await sm.send(new UpdateSecretCommand({ SecretId: 'app/cert', Description: 'TLS' }));
    expect(meta.VersionId).toBeUndefined();
    const value = await sm.send(new UpdateSecretCommand({ SecretId: 'app/cert', SecretString: 'pem' }));
    expect(value.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'app/cert' }));
    expect(described.Description).toBe('TLS');
    expect(described.VersionIdsToStages![value.VersionId!]).toEqual(['AWSCURRENT']);
  });
});

describe('errors, as AWS sends them', () => {
  it('answers an unknown secret with ResourceNotFoundException, HTTP 400 and the error header', async () => {
    const err = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } });
    const raw = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: 'nope' }),
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await raw.json()).toEqual({ __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." });
  });

  it('refuses a second secret of the same name, a bad name, both value kinds, a missing id', async () => {
    expect(await failure(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' })))).toMatchObject({
      name: 'ResourceExistsException',
      message: 'The operation failed because the secret app/db already exists.',
    });
    expect((await failure(sm.send(new CreateSecretCommand({ Name: 'bad name!' })))).name).toBe('ValidationException');
    expect((await failure(sm.send(new CreateSecretCommand({ Name: 'both', SecretString: 'x', SecretBinary: Uint8Array.from([1]) })))).name).toBe('InvalidParameterException');
    expect(await failure(sm.send(new GetSecretValueCommand({} as never)))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    });
  });

  it('names an operation it does not emulate, and why', async () => {
    const err = await failure(sm.send(new RotateSecretCommand({ SecretId: 'app/db' })));
    expect(err.name).toBe('UnknownOperationException');
    expect(err.message).toContain('RotateSecret');
  });
});

describe('deletion', () => {
  it('schedules deletion with a recovery window, refuses reads meanwhile, restores, then deletes for good', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'temp/key', SecretString: 'k' }));
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'temp/key', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate).toEqual(new Date(now + 7 * DAY));
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'temp/key' })))).toMatchObject({
      name: 'InvalidRequestException',
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    });
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'temp/key' }))).DeletedDate).toEqual(new Date(now));
    expect((await sm.send(new ListSecretsCommand({}))).SecretList!.map((s) => s.Name)).not.toContain('temp/key');
    expect((await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!.map((s) => s.Name)).toContain('temp/key');
    expect((await failure(sm.send(new CreateSecretCommand({ Name: 'temp/key' })))).name).toBe('InvalidRequestException');

    await sm.send(new RestoreSecretCommand({ SecretId: 'temp/key' }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'temp/key' }))).SecretString).toBe('k');

    await sm.send(new DeleteSecretCommand({ SecretId: 'temp/key', RecoveryWindowInDays: 7 }));
    now += 7 * DAY + 1;
    expect((await failure(sm.send(new DescribeSecretCommand({ SecretId: 'temp/key' })))).name).toBe('ResourceNotFoundException');
    // the name is free again
    await sm.send(new CreateSecretCommand({ Name: 'temp/key', SecretString: 'again' }));
  });

  it('deletes at once without recovery (also a secret that does not exist), and checks the window', async () => {
    await sm.send(new DeleteSecretCommand({ SecretId: 'temp/key', ForceDeleteWithoutRecovery: true }));
    expect((await failure(sm.send(new GetSecretValueCommand({ SecretId: 'temp/key' })))).name).toBe('ResourceNotFoundException');
    await expect(sm.send(new DeleteSecretCommand({ SecretId: 'never-there', ForceDeleteWithoutRecovery: true }))).resolves.toMatchObject({ Name: 'never-there' });
    expect(await failure(sm.send(new DeleteSecretCommand({ SecretId: 'app/db', RecoveryWindowInDays: 3 })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
    });
    expect((await failure(sm.send(new DeleteSecretCommand({ SecretId: 'app/db', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })))).name).toBe('InvalidParameterException');
    expect((await failure(sm.send(new DeleteSecretCommand({ SecretId: 'never-there' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('listing', () => {
  beforeAll(async () => {
    for (const [name, team] of [['list/a', 'red'], ['list/b', 'blue'], ['list/c', 'red']] as const) {
      now += 1000;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: name, Description: `Secret ${name}`, Tags: [{ Key: 'team', Value: team }] }));
    }
  });

  it('filters by name prefix, tag value, description (any case) and negation', async () => {
    const names = async (Filters: Array<{ Key: 'name' | 'tag-value' | 'description' | 'tag-key'; Values: string[] }>) =>
      (await sm.send(new ListSecretsCommand({ Filters }))).SecretList!.map((s) => s.Name).sort();
    expect(await names([{ Key: 'name', Values: ['list/'] }])).toEqual(['list/a', 'list/b', 'list/c']);
    expect(await names([{ Key: 'name', Values: ['LIST/'] }])).toEqual([]);
    expect(await names([{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['red'] }])).toEqual(['list/a', 'list/c']);
    expect(await names([{ Key: 'description', Values: ['secret list/b'] }])).toEqual(['list/b']);
    expect(await names([{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['!red'] }])).toEqual(['list/b']);
  });

  it('pages with MaxResults and NextToken, sorted by creation', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken, Filters: [{ Key: 'name', Values: ['list/'] }] }));
      expect(page.SecretList!.length).toBeLessThanOrEqual(2);
      seen.push(...page.SecretList!.map((s) => s.Name!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(['list/a', 'list/b', 'list/c']);
    const desc = await sm.send(new ListSecretsCommand({ SortOrder: 'desc', Filters: [{ Key: 'name', Values: ['list/'] }] }));
    expect(desc.SecretList!.map((s) => s.Name)).toEqual(['list/c', 'list/b', 'list/a']);
    expect(Object.values(desc.SecretList![0]!.SecretVersionsToStages!)).toEqual([['AWSCURRENT']]);
    expect((await failure(sm.send(new ListSecretsCommand({ NextToken: 'garbage' })))).name).toBe('InvalidNextTokenException');
  });

  it('tags and untags', async () => {
    await sm.send(new TagResourceCommand({ SecretId: 'list/a', Tags: [{ Key: 'env', Value: 'local' }, { Key: 'team', Value: 'green' }] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'list/a' }))).Tags).toEqual([
      { Key: 'team', Value: 'green' },
      { Key: 'env', Value: 'local' },
    ]);
    await sm.send(new UntagResourceCommand({ SecretId: 'list/a', TagKeys: ['team'] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'list/a' }))).Tags).toEqual([{ Key: 'env', Value: 'local' }]);
  });
});

describe('GetRandomPassword', () => {
  it('honours the length, the exclusions and one character of each included type', async () => {
    const plain = await sm.send(new GetRandomPasswordCommand({}));
    expect(plain.RandomPassword).toHaveLength(32);
    for (let i = 0; i < 20; i++) {
      const { RandomPassword: p } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 8, ExcludeCharacters: 'abcABC012', ExcludePunctuation: true }));
      expect(p).toHaveLength(8);
      expect(p).toMatch(/^[d-zD-Z3-9]+$/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[0-9]/);
    }
    const punct = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 64, ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true }));
    expect([...punct.RandomPassword!].every((c) => PUNCTUATION.includes(c))).toBe(true);
    expect((await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 0 })))).name).toBe('ValidationException');
    expect((await failure(sm.send(new GetRandomPasswordCommand({ PasswordLength: 2 })))).name).toBe('InvalidParameterException');
  });
});

describe("the template's secrets (deploy time)", () => {
  it('generates a value from GenerateSecretString with its template and key; Ref is the ARN the deployer gave', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:platform/provider-AbCdEf';
    const out = server.secretsManager.deploySecret(
      { Name: 'platform/provider', GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true, SecretStringTemplate: '{"user":"svc"}', GenerateStringKey: 'password' } },
      { name: 'ignored', arn },
    );
    expect(out).toEqual({ Ref: arn, Id: arn, Name: 'platform/provider' });
    const value = JSON.parse(server.secretsManager.currentValue(arn)!);
    expect(value.user).toBe('svc');
    expect(value.password).toMatch(/^[A-Za-z0-9]{40}$/);
  });

  it('keeps the generated value on a redeploy, and regenerates when the generation settings change', () => {
    const props = { GenerateSecretString: { PasswordLength: 24, ExcludePunctuation: true } };
    const first = server.secretsManager.deploySecret(props, { name: 'Stack-ProviderKey' });
    const value = server.secretsManager.currentValue('Stack-ProviderKey');
    expect(value).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(server.secretsManager.deploySecret(props, { name: 'Stack-ProviderKey' }).Ref).toBe(first.Ref);
    expect(server.secretsManager.currentValue('Stack-ProviderKey')).toBe(value);
    server.secretsManager.deploySecret({ GenerateSecretString: { PasswordLength: 30, ExcludePunctuation: true } }, { name: 'Stack-ProviderKey' });
    expect(server.secretsManager.currentValue('Stack-ProviderKey')).toMatch(/^[A-Za-z0-9]{30}$/);
  });

  it('takes a literal SecretString and refuses both kinds at once', () => {
    server.secretsManager.deploySecret({ Name: 'literal', SecretString: 'v1' }, { name: 'x' });
    expect(server.secretsManager.currentValue('literal')).toBe('v1');
    expect(() => server.secretsManager.deploySecret({ Name: 'both', SecretString: 'a', GenerateSecretString: {} }, { name: 'x' })).toThrow(/not both/);
  });
});

describe('persistence', () => {
  it('finds every secret, version and label again after a restart', async () => {
    const before = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    sm.destroy();
    await server.close();
    await start();
    const after = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }));
    expect(after.ARN).toBe(before.ARN);
    expect(after.VersionIdsToStages).toEqual(before.VersionIdsToStages);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }))).SecretString).toBe('four');
    expect(fs.readdirSync(dataDir)).toEqual(['secrets.json']);
  });
});
