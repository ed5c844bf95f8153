/** The broker driven by kafkajs: produce (acks -1, none/gzip), consume, admin, commits, and error paths. */
import { CompressionCodecs, CompressionTypes, type EachMessagePayload, type Kafka } from 'kafkajs';
import { client, producerConfig, startBroker, type TestBroker, waitFor } from './helpers';

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startBroker({ maxMessageBytes: 64 * 1024 });
  kafka = client(tb);
});
afterAll(async () => {
  await tb.stop();
});

async function consumeAll(topic: string, groupId: string, count: number): Promise<EachMessagePayload[]> {
  const got: EachMessagePayload[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async (p) => void got.push(p) });
  await waitFor(`${count} messages on ${topic}`, () => got.length >= count);
  await consumer.disconnect();
  return got;
}

test('produces with acks -1 uncompressed and gzip, and a consumer reads everything back', async () => {
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  const plain = await producer.send({
    topic: 'orders',
    acks: -1,
    messages: [
      { key: 'k1', value: 'first', headers: { source: 'web' }, timestamp: '1700000000000' },
      { key: null, value: 'second' },
    ],
  });
  const gz = await producer.send({
    topic: 'orders',
    acks: -1,
    compression: CompressionTypes.GZIP,
    messages: Array.from({ length: 50 }, (_, i) => ({ key: `g${i}`, value: `gzipped ${i} `.repeat(20) })),
  });
  await producer.disconnect();
  expect(plain[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
  expect(gz[0]).toMatchObject({ errorCode: 0, baseOffset: '2' });

  const got = await consumeAll('orders', 'reader-1', 52);
  expect(got.map((p) => p.message.offset)).toEqual(Array.from({ length: 52 }, (_, i) => String(i)));
  expect(got[0].message.key?.toString()).toBe('k1');
  expect(got[0].message.value?.toString()).toBe('first');
  expect(got[0].message.timestamp).toBe('1700000000000');
  expect(got[0].message.headers?.source?.toString()).toBe('web');
  expect(got[1].message.key).toBeNull();
  expect(got[51].message.value?.toString()).toBe('gzipped 49 '.repeat(20));
});

test('admin creates, lists, describes and deletes topics', async () => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 3 }, { topic: 'admin-b' }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 3 }] })).toBe(false); // already exists
    await expect(admin.createTopics({ topics: [{ topic: 'bad/name' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })] });
    await expect(admin.createTopics({ topics: [{ topic: 'rf3', replicationFactor: 3 }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })] });

    expect(await admin.listTopics()).toEqual(expect.arrayContaining(['admin-a', 'admin-b']));
    const meta = await admin.fetchTopicMetadata({ topics: ['admin-a', 'admin-b'] });
    const byName = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions]));
    expect(byName['admin-a'].map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(byName['admin-a'][0]).toMatchObject({ leader: 0, replicas: [0], isr: [0] });
    expect(byName['admin-b']).toHaveLength(1);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: tb.broker.port }]);
    expect(cluster.controller).toBe(0);

    await admin.deleteTopics({ topics: ['admin-a'] });
    expect(await admin.listTopics()).not.toContain('admin-a');
    expect(await admin.listTopics()).toContain('admin-b');
    // The name is free again.
    expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 1 }] })).toBe(true);
    expect((await admin.fetchTopicMetadata({ topics: ['admin-a'] })).topics[0].partitions).toHaveLength(1);
  } finally {
    await admin.disconnect();
  }
});

test('a group commits offsets and a new member resumes from the committed offset', async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'resume', numPartitions: 1 }] });
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({ topic: 'resume', messages: Array.from({ length: 4 }, (_, i) => ({ value: `m${i}` })) });

  const first: string[] = [];
  const c1 = kafka.consumer({ groupId: 'resumers', maxWaitTimeInMs: 200 });
  await c1.connect();
  await c1.subscribe({ topic: 'resume', fromBeginning: true });
  await c1.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      first.push(message.value!.toString());
      await c1.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  await waitFor('four messages', () => first.length === 4);
  await waitFor('commit of offset 4', async () => {
    const [t] = await admin.fetchOffsets({ groupId: 'resumers', topics: ['resume'] });
    return t.partitions[0].offset === '4';
  });
  await c1.disconnect();

  // New messages after the first member left; the next member starts at the commit, not at 0.
  await producer.send({ topic: 'resume', messages: Array.from({ length: 6 }, (_, i) => ({ value: `m${i + 4}` })) });
  const rest = (await consumeAll('resume', 'resumers', 6)).map((p) => p.message.value!.toString());
  expect(first).toEqual(['m0', 'm1', 'm2', 'm3']);
  expect(rest).toEqual(['m4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  const [t] = await admin.fetchOffsets({ groupId: 'resumers', topics: ['resume'] });
  expect(t.partitions[0].offset).toBe('10');

  // The group is listed and described; once empty it can be deleted with its offsets.
  expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('resumers');
  const { groups } = await admin.describeGroups(['resumers']);
  expect(groups[0].state).toBe('Empty');
  await admin.deleteGroups(['resumers']);
  const [after] = await admin.fetchOffsets({ groupId: 'resumers', topics: ['resume'] });
  expect(after.partitions[0].offset).toBe('-1');
  await producer.disconnect();
  await admin.disconnect();
});

test('ListOffsets answers earliest, latest and by timestamp', async () => {
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({
    topic: 'times',
    messages: [1000, 2000, 3000, 4000].map((ts) => ({ value: `at ${ts}`, timestamp: String(ts) })),
  });
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const [bounds] = await admin.fetchTopicOffsets('times');
  expect(bounds).toMatchObject({ partition: 0, low: '0', high: '4', offset: '4' });
  const [byTime] = await admin.fetchTopicOffsetsByTimestamp('times', 2500);
  expect(byTime.offset).toBe('2');
  await admin.disconnect();
});

test('an idempotent producer gets a producer id and contiguous offsets', async () => {
  const producer = kafka.producer(producerConfig({ idempotent: true, maxInFlightRequests: 1 }));
  await producer.connect();
  const offsets: string[] = [];
  for (let i = 0; i < 3; i++) {
    const [r] = await producer.send({ topic: 'idem', acks: -1, messages: [{ value: `a${i}` }, { value: `b${i}` }] });
    offsets.push(r.baseOffset!);
  }
  await producer.disconnect();
  expect(offsets).toEqual(['0', '2', '4']);
  const got = await consumeAll('idem', 'idem-reader', 6);
  expect(got.map((p) => p.message.value!.toString())).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
});

test('a message above maxMessageBytes is refused with MESSAGE_TOO_LARGE', async () => {
  const producer = kafka.producer(producerConfig({ retry: { retries: 0 } }));
  await producer.connect();
  try {
    await expect(producer.send({ topic: 'big', messages: [{ value: Buffer.alloc(100 * 1024, 1) }] })).rejects.toMatchObject({
      type: 'MESSAGE_TOO_LARGE',
    });
    // Smaller messages on the same connection still go through.
    const [ok] = await producer.send({ topic: 'big', messages: [{ value: Buffer.alloc(1024, 1) }] });
    expect(ok.errorCode).toBe(0);
  } finally {
    await producer.disconnect();
  }
});

test('a codec other than none/gzip is refused with UNSUPPORTED_COMPRESSION_TYPE', async () => {
  // kafkajs ships no snappy codec; register a pass-through one so it marks batches as snappy.
  const codecs = CompressionCodecs as unknown as Record<number, unknown>;
  const before = codecs[CompressionTypes.Snappy];
  codecs[CompressionTypes.Snappy] = () => ({
    compress: async (encoder: { buffer: Buffer }) => encoder.buffer,
    decompress: async (buffer: Buffer) => buffer,
  });
  const producer = kafka.producer(producerConfig({ retry: { retries: 0 } }));
  await producer.connect();
  try {
    await expect(producer.send({ topic: 'snappy', compression: CompressionTypes.Snappy, messages: [{ value: 'x' }] })).rejects.toMatchObject({
      type: 'UNSUPPORTED_COMPRESSION_TYPE',
    });
  } finally {
    codecs[CompressionTypes.Snappy] = before;
    await producer.disconnect();
  }
});

describe('with topic auto-creation off', () => {
  let off: TestBroker;
  beforeAll(async () => {
    off = await startBroker({ autoCreateTopics: false });
    await off.broker.createTopic('exists', 1);
  });
  afterAll(async () => {
    await off.stop();
  });

  test('an unknown topic is UNKNOWN_TOPIC_OR_PARTITION and is not created', async () => {
    const k = client(off);
    const producer = k.producer(producerConfig({ retry: { retries: 1, initialRetryTime: 50 } }));
    await producer.connect();
    const err = await producer.send({ topic: 'missing', messages: [{ value: 'x' }] }).then(
      () => undefined,
      (e: { type?: string; cause?: { type?: string } }) => e,
    );
    // kafkajs retries the metadata lookup, then wraps the broker's error as the cause.
    expect(err?.type ?? err?.cause?.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const [ok] = await producer.send({ topic: 'exists', messages: [{ value: 'x' }] });
    expect(ok.errorCode).toBe(0);
    await producer.disconnect();
    const admin = k.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual(['exists']);
    await admin.disconnect();
  });
});
