/**
 * Raw-socket tests of how the broker refuses bad input (as Kafka does: the offending
 * connection is closed, everyone else is still served), of record batch CRC checks, and of
 * Fetch long polls being woken by a produce.
 */
import type { Kafka } from 'kafkajs';
import { until } from '../../../support/poll';
import { RawClient, client, i16, i32, i64, i8, produceResult, produceV3, producerConfig, requestFrame, startBroker, str, type TestBroker } from './helpers';

// kafkajs' own record batch encoder (with its own CRC-32C), to build batches independently of the broker.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startBroker();
  kafka = client(tb);
  await tb.broker.createTopic('raw', 1);
});
afterAll(async () => {
  await tb.stop();
});

async function connect(): Promise<RawClient> {
  const c = new RawClient(tb.broker.port);
  await c.ready;
  return c;
}

/** Decodes an ApiVersions v0-v2 response body (after the correlation id). */
function apiVersions(frame: Buffer): { correlationId: number; errorCode: number; keys: Map<number, [number, number]> } {
  const keys = new Map<number, [number, number]>();
  const n = frame.readInt32BE(6);
  for (let i = 0; i < n; i++) keys.set(frame.readInt16BE(10 + i * 6), [frame.readInt16BE(12 + i * 6), frame.readInt16BE(14 + i * 6)]);
  return { correlationId: frame.readInt32BE(0), errorCode: frame.readInt16BE(4), keys };
}

async function batch(values: string[]): Promise<Buffer> {
  const now = Date.now();
  const records = values.map((v, i) => Record({ offsetDelta: i, key: null, value: Buffer.from(v) }));
  return (await RecordBatch({ records, lastOffsetDelta: values.length - 1, firstTimestamp: now, maxTimestamp: now })).buffer;
}

test('malformed frames close only their own connection; other clients are still served', async () => {
  const bystander = await connect();
  const cases: [string, Buffer][] = [
    ['truncated header', Buffer.concat([i32(3), Buffer.from([0, 3, 0])])],
    ['negative size', i32(-5)],
    ['oversized frame', i32(0x7fffffff)],
    ['unknown api key', requestFrame(9999, 0, 1, Buffer.alloc(0))],
    ['unsupported Produce version', requestFrame(0, 9, 1, Buffer.alloc(16))],
    ['truncated Metadata body', requestFrame(3, 4, 1, i32(5))],
    ['string longer than the frame', requestFrame(10, 0, 1, i16(300))],
  ];
  for (const [what, frame] of cases) {
    const bad = await connect();
    bad.send(frame);
    expect([what, await bad.waitClosed()]).toEqual([what, true]);
  }
  expect(bystander.closed).toBe(false);
  bystander.send(requestFrame(18, 0, 77, Buffer.alloc(0)));
  const res = apiVersions((await bystander.next())!);
  expect(res).toMatchObject({ correlationId: 77, errorCode: 0 });
  bystander.destroy();

  const admin = kafka.admin();
  await admin.connect();
  expect(await admin.listTopics()).toContain('raw');
  await admin.disconnect();
});

test('ApiVersions of an unknown version is answered in v0 format with UNSUPPORTED_VERSION', async () => {
  const c = await connect();
  c.send(requestFrame(18, 3, 5, Buffer.alloc(0)));
  const refusal = apiVersions((await c.next())!);
  expect(refusal.correlationId).toBe(5);
  expect(refusal.errorCode).toBe(35);
  expect([...refusal.keys.entries()]).toEqual([[18, [0, 2]]]);
  // The connection stays usable, and v2 lists what is implemented.
  c.send(requestFrame(18, 2, 6, Buffer.alloc(0)));
  const full = apiVersions((await c.next())!);
  expect(full.errorCode).toBe(0);
  expect(full.keys.get(0)).toEqual([3, 3]); // Produce
  expect(full.keys.get(1)).toEqual([4, 4]); // Fetch
  expect(full.keys.get(11)).toEqual([0, 1]); // JoinGroup
  expect(full.keys.has(24)).toBe(false); // AddPartitionsToTxn: not implemented, not advertised
  c.destroy();
});

test('a record batch whose CRC-32C does not match is refused with CORRUPT_MESSAGE', async () => {
  const c = await connect();
  const good = await batch(['intact']);
  const bad = Buffer.from(good);
  bad[bad.length - 2] ^= 0xff; // flip bits inside the last record's value
  c.send(produceV3(1, -1, 'raw', bad));
  expect(produceResult((await c.next())!)).toEqual({ errorCode: 2, baseOffset: -1 });
  c.send(produceV3(2, -1, 'raw', good));
  expect(produceResult((await c.next())!).errorCode).toBe(0);
  c.destroy();
});

test('an acks=0 produce gets no response, and one that fails closes the connection', async () => {
  const c = await connect();
  c.send(produceV3(1, 0, 'raw', await batch(['fire', 'and forget'])));
  c.send(requestFrame(18, 0, 2, Buffer.alloc(0)));
  expect(apiVersions((await c.next())!).correlationId).toBe(2); // the produce sent nothing back
  c.send(produceV3(3, 0, 'no-such-topic', await batch(['lost'])));
  expect(await c.waitClosed()).toBe(true);
});

test('a long-polling Fetch is answered as soon as a produce makes data available', async () => {
  await tb.broker.createTopic('poll', 1);
  const c = await connect();
  // Fetch v4 at offset 0 of an empty partition, willing to wait a minute for one byte.
  const fetchBody = Buffer.concat([i32(-1), i32(60_000), i32(1), i32(1024 * 1024), i8(0), i32(1), str('poll'), i32(1), i32(0), i64(0), i32(1024 * 1024)]);
  c.send(requestFrame(1, 4, 42, fetchBody));
  await until('the fetch to park', () => tb.broker.parkedFetches === 1, { intervalMs: 5 });
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({ topic: 'poll', messages: [{ value: 'wake-up-call' }] });
  await producer.disconnect();
  const res = (await c.next(15_000))!;
  expect(res.readInt32BE(0)).toBe(42);
  expect(res.includes(Buffer.from('wake-up-call'))).toBe(true);
  c.destroy();
}, 20_000);
