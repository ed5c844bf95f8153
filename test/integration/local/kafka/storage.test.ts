/**
 * The on-disk log: segments roll and are served from disk after a restart (the in-memory tail
 * cache is empty then), a torn tail is truncated on recovery, and acknowledged messages,
 * topics and committed offsets survive a SIGKILL of the broker process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createKafkaBroker } from '../../../../local/kafka';
import { RawClient, client, i32, i64, i8, producerConfig, requestFrame, startBroker, str, type TestBroker, waitFor } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..', '..');

async function readAll(kafka: Kafka, topic: string, groupId: string, count: number): Promise<{ offset: string; value: string }[]> {
  const got: { offset: string; value: string }[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push({ offset: message.offset, value: message.value!.toString() }) });
  await waitFor(`${count} messages`, () => got.length >= count);
  await consumer.disconnect();
  return got;
}

/** Base offsets of the batches a raw Fetch v4 returns from `offset` (partition 0). */
async function fetchBatchOffsets(port: number, topic: string, offset: number, maxBytes: number): Promise<number[]> {
  const c = new RawClient(port);
  await c.ready;
  c.send(requestFrame(1, 4, 1, Buffer.concat([i32(-1), i32(0), i32(1), i32(maxBytes), i8(0), i32(1), str(topic), i32(1), i32(0), i64(offset), i32(maxBytes)])));
  const res = (await c.next())!;
  c.destroy();
  // corr throttle topics(1) name partitions(1) index error hw lso aborted(-1) records
  let at = 4 + 4 + 4;
  at += 2 + res.readInt16BE(at) + 4;
  at += 4 + 2 + 8 + 8;
  const aborted = res.readInt32BE(at);
  at += 4 + Math.max(0, aborted) * 16;
  const size = res.readInt32BE(at);
  at += 4;
  const end = at + size;
  const bases: number[] = [];
  while (at + 12 <= end) {
    bases.push(Number(res.readBigInt64BE(at)));
    at += 12 + res.readInt32BE(at + 8);
  }
  return bases;
}

describe('segments and recovery', () => {
  let tb: TestBroker;
  beforeAll(async () => {
    tb = await startBroker({ segmentBytes: 16 * 1024 });
    await tb.broker.createTopic('segmented', 1);
  });
  afterAll(async () => {
    await tb.stop();
  });

  test('segments roll, and after a restart everything is read back from disk', async () => {
    const producer = client(tb).producer(producerConfig());
    await producer.connect();
    for (let s = 0; s < 150; s++) {
      await producer.send({ topic: 'segmented', messages: Array.from({ length: 10 }, (_, i) => ({ value: `message ${s * 10 + i} `.padEnd(100, '.') })) });
    }
    await producer.disconnect();
    const dir = path.join(tb.dataDir, 'segmented-0');
    const logs = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(5);
    expect(logs[1]).toMatch(/^0+\d+\.log$/);
    expect(fs.statSync(path.join(dir, logs[0].replace('.log', '.index'))).size).toBeGreaterThan(0);

    await tb.restart();
    const got = await readAll(client(tb), 'segmented', 'disk-reader', 1500);
    expect(got.map((m) => Number(m.offset))).toEqual(Array.from({ length: 1500 }, (_, i) => i));
    expect(got[1234].value).toBe('message 1234 '.padEnd(100, '.'));

    // A fetch from the middle of an older segment starts at the batch holding that offset.
    const bases = await fetchBatchOffsets(tb.broker.port, 'segmented', 777, 4096);
    expect(bases[0]).toBe(770);
    expect(bases.length).toBeGreaterThan(1);
    expect(bases.every((b, i) => i === 0 || b === bases[i - 1] + 10)).toBe(true);
  });

  test('a torn tail left by a crash is truncated and the log continues after the last whole batch', async () => {
    await tb.broker.close();
    const dir = path.join(tb.dataDir, 'segmented-0');
    const last = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort().pop()!;
    const file = path.join(dir, last);
    const whole = fs.statSync(file).size;
    // Half of a batch header and some junk, as an interrupted write would leave.
    fs.appendFileSync(file, Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 5, 0xdc, 0, 0, 1, 0]), Buffer.alloc(40, 7)]));
    tb.broker = await createKafkaBroker({ dataDir: tb.dataDir, port: tb.broker.port, log: (m) => tb.logs.push(m) });
    expect(fs.statSync(file).size).toBe(whole);
    expect(tb.logs.some((l) => l.includes('truncating'))).toBe(true);

    const kafka = client(tb);
    const producer = kafka.producer(producerConfig());
    await producer.connect();
    const [r] = await producer.send({ topic: 'segmented', messages: [{ value: 'after recovery' }] });
    await producer.disconnect();
    expect(r.baseOffset).toBe('1500');
    const got = await readAll(kafka, 'segmented', 'post-recovery', 1501);
    expect(got[1500]).toEqual({ offset: '1500', value: 'after recovery' });
  });
});

test('acknowledged messages, topics and committed offsets survive a SIGKILL of the broker', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-crash-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'broker-process.ts'), dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`broker process exited ${code}`)));
    });
    const kafka = new Kafka({ clientId: 'crash', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
    const producer = kafka.producer(producerConfig());
    await producer.connect();
    for (let i = 0; i < 40; i++) await producer.send({ topic: 'durable', acks: -1, messages: [{ value: `acked ${i}`, partition: i % 2 }] });
    const consumer = kafka.consumer({ groupId: 'durable-group', maxWaitTimeInMs: 100 });
    const joined = new Promise((r) => consumer.on(consumer.events.GROUP_JOIN, r));
    await consumer.connect();
    await consumer.subscribe({ topic: 'durable' });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await joined;
    await consumer.commitOffsets([
      { topic: 'durable', partition: 0, offset: '7' },
      { topic: 'durable', partition: 1, offset: '3' },
    ]);
    await consumer.disconnect();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);

    const reopened = await createKafkaBroker({ dataDir, port: 0 });
    try {
      const k2 = client(reopened);
      const a2 = k2.admin();
      await a2.connect();
      const meta = await a2.fetchTopicMetadata({ topics: ['durable'] });
      expect(meta.topics[0].partitions).toHaveLength(2);
      const [offsets] = await a2.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
      expect(offsets.partitions.sort((x, y) => x.partition - y.partition).map((p) => p.offset)).toEqual(['7', '3']);
      await a2.disconnect();
      const got = await readAll(k2, 'durable', 'after-crash', 40);
      expect(got.map((m) => m.value).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `acked ${i}`).sort());
    } finally {
      await reopened.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
