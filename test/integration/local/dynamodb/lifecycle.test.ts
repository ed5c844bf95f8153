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

/** A table keyed by a string `pk`. */
async function createTable(ddb: DynamoDbLocal, name: string): Promise<void> {
  await doc(ddb.endpoint).send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

test('tables and items persist across stop and start with the same dataDir', async () => {
  const first = await start({ port: 0, dataDir });
  await createTable(first, 'carts');
  await doc(first.endpoint).send(new PutCommand({ TableName: 'carts', Item: { pk: 'c1', items: ['a', 'b'] } }));
  await first.stop();
  expect(fs.readdirSync(dataDir).some((f) => f.endsWith('.db'))).toBe(true);

  const second = await start({ port: 0, dataDir });
  const got = await doc(second.endpoint).send(new GetCommand({ TableName: 'carts', Key: { pk: 'c1' } }));
  expect(got.Item).toEqual({ pk: 'c1', items: ['a', 'b'] });
  await second.stop();
});

/** SQLite's header records the journal mode in bytes 18 and 19 (write and read versions): 1 rollback journal, 2 WAL. */
function journalVersions(file: string): [number, number] {
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  return [header[18]!, header[19]!];
}

test('the database is kept in WAL mode, a data folder in rollback-journal mode is converted, and its items stay', async () => {
  const dir = fs.mkdtempSync(path.join(dataDir, 'wal-'));
  const file = path.join(dir, 'shared-local-instance.db');
  const first = await start({ port: 0, dataDir: dir });
  await createTable(first, 'ledgers');
  await doc(first.endpoint).send(new PutCommand({ TableName: 'ledgers', Item: { pk: 'l1', balance_minor: 1250 } }));
  expect(journalVersions(file)).toEqual([2, 2]);
  await first.stop();
  // a closed database with no log left is put back in rollback-journal mode, as a data folder
  // written before the launcher switched modes is
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
  fs.closeSync(fd);

  const second = await start({ port: 0, dataDir: dir });
  expect(journalVersions(file)).toEqual([2, 2]);
  const got = await doc(second.endpoint).send(new GetCommand({ TableName: 'ledgers', Key: { pk: 'l1' } }));
  expect(got.Item).toEqual({ pk: 'l1', balance_minor: 1250 });
  await second.stop();
});

test('a write acknowledged before DynamoDB Local is killed (SIGKILL) is there after a restart', async () => {
  const dir = fs.mkdtempSync(path.join(dataDir, 'kill-'));
  const first = await start({ port: 0, dataDir: dir });
  await createTable(first, 'payments');
  for (let i = 0; i < 20; i++) await doc(first.endpoint).send(new PutCommand({ TableName: 'payments', Item: { pk: `p${i}`, amount_minor: i * 100 } }));
  process.kill(first.pid, 'SIGKILL');
  expect(await waitGone(first.pid, 15_000)).toBe(true);
  // the last writes were in the write-ahead log, not yet in the database file
  expect(fs.existsSync(path.join(dir, 'shared-local-instance.db-wal'))).toBe(true);

  const second = await start({ port: 0, dataDir: dir });
  for (const i of [0, 19]) {
    const got = await doc(second.endpoint).send(new GetCommand({ TableName: 'payments', Key: { pk: `p${i}` } }));
    expect(got.Item).toEqual({ pk: `p${i}`, amount_minor: i * 100 });
  }
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
