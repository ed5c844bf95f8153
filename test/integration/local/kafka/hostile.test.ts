/**
 * Hostile clients: crafted record batches are refused with Kafka's codes and leave the
 * partition readable (by kafkajs and kcat) and the broker able to start, even after a crash;
 * a torn line at the end of the offsets journal does not swallow the next commit; topic names
 * stay legal and inside the data folder whatever they contain.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { honest, hostileBatches } from '../../../unit/local/kafka/crafted-batches';
import { RawClient, client, produceResult, produceV3, startBroker, type TestBroker, waitFor } from './helpers';

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startBroker();
  kafka = client(tb);
});
afterAll(async () => {
  await tb.stop();
});

async function produceRaw(topic: string, batch: Buffer): Promise<{ errorCode: number; baseOffset: number }> {
  const c = new RawClient(tb.broker.port);
  await c.ready;
  c.send(produceV3(1, -1, topic, batch));
  const frame = await c.next();
  c.destroy();
  return produceResult(frame!);
}

async function readValues(topic: string, groupId: string, count: number): Promise<[string, string][]> {
  const got: [string, string][] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push([message.offset, message.value!.toString()]) });
  await waitFor(`${count} messages of ${topic}`, () => got.length >= count);
  await consumer.disconnect();
  return got;
}

/** Simulates a crash: the lock is left behind by a process that is gone. */
async function crashAndRestart(): Promise<void> {
  await tb.broker.close();
  fs.writeFileSync(path.join(tb.dataDir, '.lock'), '2147483646'); // no such pid
  await tb.restart();
}

test('crafted batches are refused with Kafka codes; the partition stays readable and the broker restarts after a crash', async () => {
  await tb.broker.createTopic('hostile', 1);
  expect(await produceRaw('hostile', honest(['before']))).toEqual({ errorCode: 0, baseOffset: 0 });
  const answers: [string, number][] = [];
  for (const h of hostileBatches()) answers.push([h.what, (await produceRaw('hostile', h.batch)).errorCode]);
  expect(answers).toEqual(hostileBatches().map((h) => [h.what, h.code]));
  // More than an index interval (4 KiB) of honest data after the attempts.
  const filler = Array.from({ length: 40 }, (_, i) => `after-${i}-${'x'.repeat(200)}`);
  expect(await produceRaw('hostile', honest(filler))).toEqual({ errorCode: 0, baseOffset: 1 });

  const expected = [['0', 'before'], ...filler.map((v, i) => [String(i + 1), v])];
  expect(await readValues('hostile', 'hostile-1', 41)).toEqual(expected);
  await crashAndRestart();
  expect(tb.logs.some((l) => l.includes('not closed cleanly'))).toBe(true);
  expect(await readValues('hostile', 'hostile-2', 41)).toEqual(expected);

  // librdkafka reads the partition end to end too.
  const { stdout } = await promisify(execFile)('kcat', ['-C', '-b', tb.broker.bootstrap, '-t', 'hostile', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %S\n'], { timeout: 20_000 });
  expect(stdout.trim().split('\n')).toEqual(expected.map(([o, v]) => `${o} ${v.length}`));
}, 60_000);

test('a torn line at the end of the offsets journal does not swallow the next commit', async () => {
  await tb.broker.createTopic('journal', 1);
  const admin = kafka.admin();
  await admin.connect();
  await admin.setOffsets({ groupId: 'torn', topic: 'journal', partitions: [{ partition: 0, offset: '5' }] });
  await admin.disconnect();
  await tb.broker.close();
  // The process died halfway through appending a commit.
  fs.appendFileSync(path.join(tb.dataDir, 'consumer-offsets.jsonl'), '{"g":"torn","t":"journal","p":0,"o":6');
  await tb.restart();

  const admin2 = kafka.admin();
  await admin2.connect();
  expect(await admin2.fetchOffsets({ groupId: 'torn', topics: ['journal'] })).toEqual([{ topic: 'journal', partitions: [{ partition: 0, offset: '5', metadata: null }] }]);
  await admin2.setOffsets({ groupId: 'torn', topic: 'journal', partitions: [{ partition: 0, offset: '7' }] });
  await admin2.disconnect();
  await tb.restart();

  const admin3 = kafka.admin();
  await admin3.connect();
  expect(await admin3.fetchOffsets({ groupId: 'torn', topics: ['journal'] })).toEqual([{ topic: 'journal', partitions: [{ partition: 0, offset: '7', metadata: null }] }]);
  await admin3.disconnect();
  const lines = fs.readFileSync(path.join(tb.dataDir, 'consumer-offsets.jsonl'), 'utf8').split('\n');
  expect(lines.pop()).toBe('');
  expect(lines.every((l) => JSON.parse(l) !== null)).toBe(true);
}, 60_000);

test('topic names: illegal ones get INVALID_TOPIC_EXCEPTION, none escapes the data folder, a legal one is never mistaken for a deleted folder', async () => {
  const admin = kafka.admin();
  await admin.connect();
  for (const name of ['..', '.', '../escape', 'a/../../b', 'x'.repeat(250), 'with space', 'ümlaut', 'nul\u0000byte']) {
    await expect(admin.createTopics({ topics: [{ topic: name }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })] });
  }
  expect(fs.readdirSync(path.dirname(tb.dataDir)).filter((e) => e.startsWith('escape') || e === 'b-0')).toEqual([]);

  // Kafka refuses names that differ only in '.' versus '_' (they collide in metric names).
  expect(await admin.createTopics({ topics: [{ topic: 'metrics.orders' }] })).toBe(true);
  await expect(admin.createTopics({ topics: [{ topic: 'metrics_orders' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })] });

  // A topic whose name looks like a folder being deleted keeps its data across restarts.
  expect(await admin.createTopics({ topics: [{ topic: 'audit.deleted-1-x' }] })).toBe(true);
  await admin.disconnect();
  expect(await produceRaw('audit.deleted-1-x', honest(['kept', 'too']))).toEqual({ errorCode: 0, baseOffset: 0 });
  await tb.restart();
  expect(await readValues('audit.deleted-1-x', 'audit', 2)).toEqual([
    ['0', 'kept'],
    ['1', 'too'],
  ]);
  // And deleting a topic still removes its folder, also when the deletion is finished by a restart.
  const admin2 = kafka.admin();
  await admin2.connect();
  await admin2.deleteTopics({ topics: ['audit.deleted-1-x'] });
  await admin2.disconnect();
  await tb.restart();
  expect(fs.readdirSync(tb.dataDir).filter((e) => e.startsWith('audit'))).toEqual([]);
}, 60_000);
