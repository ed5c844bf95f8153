/**
 * Delivery guarantees of the Kafka event source mappings as the template declares them
 * (startMappings, the path the local cloud takes), against the local broker:
 * - no retry limit in the template means AWS's default: retried until the function takes it;
 * - a throttled invoke is not an attempt, so it never sends a batch to on-failure;
 * - offsets are never committed past a batch the on-failure destination refused;
 * - the member heartbeats while a long batch runs, so it keeps its partitions;
 * - re-enabling a mapping twice at once starts one consumer;
 * - the template's filter criteria apply to each record's value (JSON or a plain string) before
 *   batching; what no filter admits never invokes the function and is committed past.
 */
import type { Kafka } from 'kafkajs';
import { startMappings, type MappingEnvironment, type RunningMapping } from '../../../../local/esm';
import { startKafkaEventSourceMapping } from '../../../../local/esm/kafka';
import type { InvokeResult } from '../../../../local/lambda';
import { client, producerConfig, startBroker, type TestBroker, waitFor } from '../kafka/helpers';

const CLUSTER = 'arn:aws:kafka:us-east-1:000000000000:cluster/local/00000000-0000-0000-0000-000000000000-1';
let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startBroker();
  kafka = client(tb);
});
afterAll(async () => {
  await tb.stop();
});

const ok = (): InvokeResult => ({ status: 'ok', payload: null, durationMs: 1, coldStart: false, requestId: 'r-ok', logs: '' });
const failed = (): InvokeResult => ({ status: 'error', errorType: 'Error', errorMessage: 'boom', trace: [], durationMs: 1, coldStart: false, requestId: 'r-err', logs: '' });
const throttled = (): InvokeResult => ({ status: 'throttled', errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', requestId: 'r-thr' });

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer(producerConfig());
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

async function committed(groupId: string, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return t!.partitions[0]!.offset;
  } finally {
    await admin.disconnect();
  }
}

async function members(groupId: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]!.members.length;
  } finally {
    await admin.disconnect();
  }
}

function env(invoke: MappingEnvironment['invoke'], sent: Array<{ queue: string; body: string }>, refuse = () => false): MappingEnvironment {
  return {
    region: 'us-east-1',
    dataDir: tb.dataDir,
    dynamodbEndpoint: 'http://127.0.0.1:1',
    kafkaBootstrap: () => tb.broker.bootstrap,
    invoke,
    sendToQueue: (queue, body) => {
      if (refuse()) throw new Error('AWS.SimpleQueueService.NonExistentQueue');
      sent.push({ queue, body });
    },
    log: () => undefined,
  };
}

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:failures';
function spec(topic: string, extra: Record<string, unknown> = {}) {
  return {
    uuid: `esm-${topic}`,
    functionName: `fn-${topic}`,
    eventSourceArn: CLUSTER,
    properties: {
      Topics: [topic],
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: `group-${topic}` },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: DLQ } },
      ...extra,
    },
  };
}

async function stopAll(running: RunningMapping[]) {
  await Promise.all(running.map((m) => m.stop()));
}

test('with no retry limit in the template, a failing batch is retried (here 5 times) until it succeeds, never sent to on-failure', async () => {
  await tb.broker.createTopic('kd-default', 1);
  let calls = 0;
  const sent: Array<{ queue: string; body: string }> = [];
  const running = await startMappings([spec('kd-default')], env(async () => (++calls <= 5 ? failed() : ok()), sent));
  try {
    await produce('kd-default', ['a']);
    await waitFor('the commit after the 6th call', async () => (await committed('group-kd-default', 'kd-default')) === '1', 30_000);
    expect(calls).toBe(6);
    expect(sent).toEqual([]);
  } finally {
    await stopAll(running);
  }
});

test('throttled invokes are not attempts: with MaximumRetryAttempts 1, three throttles then a success deliver the batch', async () => {
  await tb.broker.createTopic('kd-throttle', 1);
  const outcomes = [throttled, throttled, throttled, ok];
  let calls = 0;
  const sent: Array<{ queue: string; body: string }> = [];
  const running = await startMappings([spec('kd-throttle', { MaximumRetryAttempts: 1 })], env(async () => outcomes[Math.min(calls++, 3)]!(), sent));
  try {
    await produce('kd-throttle', ['a']);
    await waitFor('the commit after the success', async () => (await committed('group-kd-throttle', 'kd-throttle')) === '1', 30_000);
    expect(calls).toBe(4);
    expect(sent).toEqual([]);
  } finally {
    await stopAll(running);
  }
});

test('a batch the on-failure queue refuses is not committed past; once the queue takes it, the record is in AWS shape', async () => {
  await tb.broker.createTopic('kd-refused', 1);
  let refusals = 0;
  const sent: Array<{ queue: string; body: string }> = [];
  const running = await startMappings(
    [spec('kd-refused', { MaximumRetryAttempts: 0 })],
    env(async () => failed(), sent, () => ++refusals <= 2),
  );
  try {
    await produce('kd-refused', ['poison']);
    await waitFor('the record on the on-failure queue', () => sent.length === 1, 30_000);
    expect(refusals).toBe(3);
    await waitFor('the commit past the batch', async () => (await committed('group-kd-refused', 'kd-refused')) === '1');
    const record = JSON.parse(sent[0]!.body);
    expect(sent[0]!.queue).toBe(DLQ);
    expect(record).toEqual({
      requestContext: {
        requestId: 'r-err',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn-kd-refused',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      KafkaBatchInfo: {
        batchSize: 1,
        eventSourceArn: CLUSTER,
        bootstrapServers: tb.broker.bootstrap,
        payloadSize: expect.any(Number),
        recordsInfo: {
          'kd-refused-0': {
            firstRecordOffset: '0',
            lastRecordOffset: '0',
            firstRecordTimestamp: expect.stringMatching(/Z$/),
            lastRecordTimestamp: expect.stringMatching(/Z$/),
          },
        },
      },
    });
  } finally {
    await stopAll(running);
  }
});

test('the member heartbeats while a batch runs longer than the session timeout: delivered once, committed', async () => {
  await tb.broker.createTopic('kd-long', 1);
  const seen: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const esm = await startKafkaEventSourceMapping({
    bootstrap: tb.broker.bootstrap,
    topics: ['kd-long'],
    groupId: 'group-kd-long',
    batchSize: 10,
    maximumBatchingWindowMs: 0,
    startingPosition: 'TRIM_HORIZON',
    eventSourceArn: CLUSTER,
    sessionTimeoutMs: 1_500,
    heartbeatIntervalMs: 300,
    invoke: async (e) => {
      seen.push(...e.records['kd-long-0']!.map((r) => r.offset));
      await released;
    },
  });
  try {
    await produce('kd-long', ['slow']);
    await waitFor('the batch to be running', () => seen.length === 1);
    // the function runs for 4 session timeouts, measured by the broker's own view of the group
    const until = Date.now() + 6_000;
    await waitFor('6 s to pass with the member still in the group', async () => (await members('group-kd-long')) === 1 && Date.now() > until, 15_000);
    release();
    await waitFor('the commit', async () => (await committed('group-kd-long', 'kd-long')) === '1');
    expect(seen).toEqual([0]);
  } finally {
    release();
    await esm.stop();
  }
});

test('re-enabling a mapping twice at once starts one consumer', async () => {
  await tb.broker.createTopic('kd-enable', 1);
  const sent: Array<{ queue: string; body: string }> = [];
  const running = await startMappings([spec('kd-enable')], env(async () => ok(), sent));
  const [m] = running;
  try {
    await waitFor('the member to join', async () => (await members('group-kd-enable')) === 1);
    await m!.setEnabled(false);
    await waitFor('the group to be empty', async () => (await members('group-kd-enable')) === 0);
    await Promise.all([m!.setEnabled(true), m!.setEnabled(true)]);
    await waitFor('a member to join', async () => (await members('group-kd-enable')) >= 1);
    // a second consumer would join within its own start; give it the time a start takes
    const settled = Date.now() + 3_000;
    await waitFor('the group to settle', () => Date.now() > settled);
    expect(await members('group-kd-enable')).toBe(1);
    expect(m!.enabled).toBe(true);
  } finally {
    await stopAll(running);
  }
});

type MskEventLike = { records: Record<string, Array<{ offset: number; value?: string }>> };
const valuesOf = (event: unknown) =>
  Object.values((event as MskEventLike).records)
    .flat()
    .map((r) => Buffer.from(r.value ?? '', 'base64').toString('utf8'));

test("filter criteria from the template: only records whose value a filter admits reach the function, batched among themselves; the rest are committed past", async () => {
  await tb.broker.createTopic('kd-filter', 1);
  const batches: string[][] = [];
  const sent: Array<{ queue: string; body: string }> = [];
  const filters = {
    FilterCriteria: {
      Filters: [
        { Pattern: JSON.stringify({ value: { type: ['keep', { prefix: 'also.' }] } }) }, // a field of a JSON value
        { Pattern: JSON.stringify({ value: [{ prefix: 'plain-' }] }) }, // a value that is not JSON is matched as a string
      ],
    },
    BatchSize: 2,
  };
  const values = [
    JSON.stringify({ type: 'keep', n: 1 }),
    JSON.stringify({ type: 'drop', n: 2 }),
    'plain-3',
    'not-plain-4',
    JSON.stringify({ type: 'also.kept', n: 5 }),
    JSON.stringify({ kind: 'keep', n: 6 }),
    JSON.stringify({ type: 'keep', n: 7 }),
    JSON.stringify({ type: 'drop', n: 8 }),
  ];
  await produce('kd-filter', values);
  const running = await startMappings([spec('kd-filter', filters)], env(async (_fn, event) => (batches.push(valuesOf(event)), ok()), sent));
  try {
    await waitFor('the commit past the last record', async () => (await committed('group-kd-filter', 'kd-filter')) === '8', 30_000);
    expect(batches.flat()).toEqual([values[0], values[2], values[4], values[6]]);
    // a dropped record takes no room in a batch: two batches of two, not four of one
    expect(batches).toEqual([
      [values[0], values[2]],
      [values[4], values[6]],
    ]);
  } finally {
    await stopAll(running);
  }
});

test('records that no filter admits invoke nothing, and the group commits past them', async () => {
  await tb.broker.createTopic('kd-filter-none', 1);
  let calls = 0;
  const sent: Array<{ queue: string; body: string }> = [];
  const filters = { FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ value: { type: ['wanted'] } }) }] } };
  const running = await startMappings([spec('kd-filter-none', filters)], env(async () => (calls++, ok()), sent));
  try {
    await produce('kd-filter-none', [JSON.stringify({ type: 'other' }), 'plain text', JSON.stringify({ type: 'Wanted' })]);
    await waitFor('the commit past the three records', async () => (await committed('group-kd-filter-none', 'kd-filter-none')) === '3', 30_000);
    expect(calls).toBe(0);
    await produce('kd-filter-none', [JSON.stringify({ type: 'wanted' })]);
    await waitFor('the wanted record', () => calls === 1);
    await waitFor('its commit', async () => (await committed('group-kd-filter-none', 'kd-filter-none')) === '4');
  } finally {
    await stopAll(running);
  }
});
