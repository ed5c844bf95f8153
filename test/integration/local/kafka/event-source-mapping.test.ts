/**
 * The Lambda-style event source mapping against the broker: MSK-shaped events, retries of a
 * failing batch, on-failure hand-off, and offsets committed only after success.
 */
import type { Kafka } from 'kafkajs';
import { type MskEvent, startKafkaEventSourceMapping } from '../../../../local/esm/kafka';
import { client, producerConfig, startBroker, type TestBroker, waitFor } from './helpers';

const ARN = 'arn:aws:kafka:us-east-1:000000000000:cluster/local/00000000-0000-0000-0000-000000000000-1';
let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startBroker();
  kafka = client(tb);
});
afterAll(async () => {
  await tb.stop();
});

async function produce(topic: string, messages: { key?: string | null; value: string | null; headers?: Record<string, string | string[]>; timestamp?: string }[]): Promise<void> {
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

async function committed(groupId: string, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  return t.partitions[0].offset;
}

test('invokes with events shaped like Lambda MSK events, at most batchSize records each', async () => {
  await tb.broker.createTopic('esm-shape', 1);
  const events: MskEvent[] = [];
  const esm = await startKafkaEventSourceMapping({
    bootstrap: tb.broker.bootstrap,
    topics: ['esm-shape'],
    groupId: 'esm-shape-fn',
    batchSize: 2,
    maximumBatchingWindowMs: 0,
    startingPosition: 'LATEST',
    eventSourceArn: ARN,
    invoke: async (e) => void events.push(e),
  });
  try {
    await produce('esm-shape', [
      { key: 'order-1', value: '{"id":1}', headers: { 'content-type': 'application/json', trace: ['a', 'b'] }, timestamp: '1712000000000' },
      { key: null, value: 'two' },
      { key: 'k3', value: null },
    ]);
    await waitFor('three records', () => events.reduce((n, e) => n + e.records['esm-shape-0'].length, 0) === 3);
    expect(events.every((e) => e.records['esm-shape-0'].length <= 2)).toBe(true);
    expect(events[0]).toEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: ARN,
      bootstrapServers: tb.broker.bootstrap,
      records: {
        'esm-shape-0': expect.arrayContaining([
          {
            topic: 'esm-shape',
            partition: 0,
            offset: 0,
            timestamp: 1712000000000,
            timestampType: 'CREATE_TIME',
            key: Buffer.from('order-1').toString('base64'),
            value: Buffer.from('{"id":1}').toString('base64'),
            headers: [{ 'content-type': [...Buffer.from('application/json')] }, { trace: [97] }, { trace: [98] }],
          },
        ]),
      },
    });
    const all = events.flatMap((e) => e.records['esm-shape-0']);
    expect(all.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect('key' in all[1]).toBe(false); // null key: no key field
    expect(Buffer.from(all[1].value!, 'base64').toString()).toBe('two');
    expect('value' in all[2]).toBe(false); // tombstone: no value field
    await waitFor('commit after the last batch', async () => (await committed('esm-shape-fn', 'esm-shape')) === '3');
  } finally {
    await esm.stop();
  }
});

test('a batch that fails twice is redelivered unchanged, then committed once it succeeds', async () => {
  await tb.broker.createTopic('esm-retry', 1);
  const calls: number[][] = [];
  const offsetsAtCall: string[] = [];
  const esm = await startKafkaEventSourceMapping({
    bootstrap: tb.broker.bootstrap,
    topics: ['esm-retry'],
    groupId: 'esm-retry-fn',
    batchSize: 10,
    maximumBatchingWindowMs: 0,
    startingPosition: 'TRIM_HORIZON',
    eventSourceArn: ARN,
    invoke: async (e) => {
      calls.push(e.records['esm-retry-0'].map((r) => r.offset));
      offsetsAtCall.push(await committed('esm-retry-fn', 'esm-retry'));
      if (calls.length <= 2) throw new Error(`transient failure ${calls.length}`);
    },
  });
  try {
    await produce('esm-retry', [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    await waitFor('three attempts', () => offsetsAtCall.length >= 3);
    expect(calls.slice(0, 3)).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(offsetsAtCall.slice(0, 3)).toEqual(['-1', '-1', '-1']); // nothing committed while failing
    await waitFor('commit after success', async () => (await committed('esm-retry-fn', 'esm-retry')) === '3');
    expect(calls).toHaveLength(3);
  } finally {
    await esm.stop();
  }
});

test('a batch that always fails goes to onFailure after the retries, and consumption moves on', async () => {
  await tb.broker.createTopic('esm-dlq', 1);
  const failures: { event: MskEvent; error: string; attempts: number }[] = [];
  const ok: string[] = [];
  let attempts = 0;
  const esm = await startKafkaEventSourceMapping({
    bootstrap: tb.broker.bootstrap,
    topics: ['esm-dlq'],
    groupId: 'esm-dlq-fn',
    batchSize: 1,
    maximumBatchingWindowMs: 0,
    maximumRetryAttempts: 1,
    startingPosition: 'LATEST',
    eventSourceArn: ARN,
    invoke: async (e) => {
      const value = Buffer.from(e.records['esm-dlq-0'][0].value!, 'base64').toString();
      if (value === 'poison') {
        attempts++;
        throw new Error('cannot process poison');
      }
      ok.push(value);
    },
    onFailure: async (f) => void failures.push(f),
  });
  try {
    await produce('esm-dlq', [{ value: 'poison' }, { value: 'good' }]);
    await waitFor('the good record after the poison one', () => ok.includes('good'));
    expect(attempts).toBe(2); // first try + maximumRetryAttempts
    expect(failures).toHaveLength(1);
    expect(failures[0].attempts).toBe(2);
    expect(failures[0].error).toBe('cannot process poison');
    expect(failures[0].event.records['esm-dlq-0'].map((r) => r.offset)).toEqual([0]);
    await waitFor('commit past both', async () => (await committed('esm-dlq-fn', 'esm-dlq')) === '2');
  } finally {
    await esm.stop();
  }
});
