/**
 * DynamoDB Local lifecycle: persistence across stop/start with a dataDir, stop() leaves no process
 * or socket behind, a taken port falls back to a free one, and the Java process does not outlive
 * a parent that is SIGKILLed.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DynamoDbLocalStartError, findFreePort, startDynamoDbLocal, type DynamoDbLocal } from '../../../../local/dynamodb';
import { startThenKillParent } from './orphan';
import { commandLine, listeningAddresses, pidAlive, waitGone } from './sockets';

function doc(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
}

const running: DynamoDbLocal[] = [];
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddb-local-test-'));
});

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof startDynamoDbLocal>[0]): Promise<DynamoDbLocal> {
  const ddb = await startDynamoDbLocal(opts);
  running.push(ddb);
  return ddb;
}

test('tables and items persist across stop and start with the same dataDir', async () => {
  const first = await start({ port: 0, dataDir });
  await doc(first.endpoint).send(
    new CreateTableCommand({
      TableName: 'carts',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await doc(first.endpoint).send(new PutCommand({ TableName: 'carts', Item: { pk: 'c1', items: ['a', 'b'] } }));
  await first.stop();
  expect(fs.readdirSync(dataDir).some((f) => f.endsWith('.db'))).toBe(true);

  const second = await start({ port: 0, dataDir });
  const got = await doc(second.endpoint).send(new GetCommand({ TableName: 'carts', Key: { pk: 'c1' } }));
  expect(got.Item).toEqual({ pk: 'c1', items: ['a', 'b'] });
  await second.stop();
});

test('stop() leaves no java process and no listening socket', async () => {
  const ddb = await start({ port: 0 });
  expect(pidAlive(ddb.pid)).toBe(true);
  expect(commandLine(ddb.pid)).toContain('LocalLauncher');
  expect(listeningAddresses(ddb.port)).toEqual(['127.0.0.1']);
  await ddb.stop();
  expect(pidAlive(ddb.pid)).toBe(false);
  expect(listeningAddresses(ddb.port)).toEqual([]);
  await ddb.stop(); // a second stop is harmless
});

test('a preferred port that is taken falls back to a free one', async () => {
  const preferred = await findFreePort();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(preferred, '127.0.0.1', resolve));
  try {
    const ddb = await start({ port: preferred });
    expect(ddb.port).not.toBe(preferred);
    expect(ddb.endpoint).toBe(`http://127.0.0.1:${ddb.port}`);
    expect(listeningAddresses(ddb.port)).toEqual(['127.0.0.1']);
    await ddb.stop();
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('the java process exits when its parent process is SIGKILLed', async () => {
  const { pid, port } = await startThenKillParent('dynamodb');
  expect(await waitGone(pid, 15_000)).toBe(true);
  expect(listeningAddresses(port)).toEqual([]);
});

/** Writes an executable shell script standing in for `java`; the launcher compile step gets exit 1. */
function fakeJava(body: string): string {
  const file = path.join(dataDir, `fake-java-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, `#!/bin/sh\ncase "$*" in *jdk.compiler*) exit 1;; esac\n${body}\n`, { mode: 0o755 });
  return file;
}

test('a java that dies at start-up gives DynamoDbLocalStartError carrying its output', async () => {
  const javaBin = fakeJava('echo "Error: could not create the Java Virtual Machine" >&2; exit 3');
  const err = await startDynamoDbLocal({ port: 0, javaBin }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DynamoDbLocalStartError);
  expect((err as Error).message).toContain('exited early (code 3');
  expect((err as DynamoDbLocalStartError).output).toContain('could not create the Java Virtual Machine');
});

test('no ready line within startTimeoutMs gives DynamoDbLocalStartError and kills the process', async () => {
  const pidFile = path.join(dataDir, 'fake-java.pid');
  const javaBin = fakeJava(`echo $$ > ${pidFile}; echo "still warming up"; exec sleep 30`);
  const err = await startDynamoDbLocal({ port: 0, javaBin, startTimeoutMs: 500 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DynamoDbLocalStartError);
  expect((err as Error).message).toContain('no ready line within 500 ms');
  expect((err as DynamoDbLocalStartError).output).toContain('still warming up');
  expect(pidAlive(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
});
