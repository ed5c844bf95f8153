/**
 * A DynamoDB Streams mapping (as the template declares it, through startMappings) against
 * DynamoDB Local's real stream and the SQS emulator on an edge endpoint: a batch given up on
 * arrives on the mapping's on-failure queue as Lambda's invocation record, and the redrive reads
 * the batch back from the stream, invokes the function with it and deletes the message. Also:
 * the poller's checkpoint is replaced by rename (never rewritten in place), and a failing
 * GetShardIterator is logged and retried, never an unhandled rejection. The same for a Kafka
 * mapping on the local broker: the redrive reads the offsets back from the topic, through the
 * filter criteria of the mapping that read it.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../../local/dynamodb';
import { startEdge } from '../../../../local/edge';
import { startMappings, type MappingEnvironment, type RunningMapping } from '../../../../local/esm';
import { redriveQueue } from '../../../../local/esm/redrive';
import type { InvokeResult } from '../../../../local/lambda';
import { createSqsEmulator, type SqsEmulator } from '../../../../local/sqs';
import { eventually } from '../../../support/poll';
import { client, producerConfig, startBroker } from '../kafka/helpers';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const dir = mkdtempSync(path.join(os.tmpdir(), 'esm-redrive-'));
let dynamo: DynamoDbLocal;
let ddb: DynamoDBClient;
let sqs: SqsEmulator;
let sqsClient: SQSClient;
let closeEdge: () => Promise<void>;
let seq = 0;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ port: 0 });
  ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  let edgeUrl = '';
  sqs = createSqsEmulator({ dataDir: path.join(dir, 'sqs'), region: REGION, accountId: ACCOUNT, edgeUrl: () => edgeUrl });
  const edge = await startEdge({ port: 0, services: [{ name: 'sqs', route: (req, res) => sqs.route(req, res) }] });
  edgeUrl = edge.url;
  closeEdge = edge.close;
  sqsClient = new SQSClient({ endpoint: edge.url, region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
});
afterAll(async () => {
  sqsClient.destroy();
  ddb.destroy();
  await closeEdge();
  await sqs.close();
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function table(): Promise<{ name: string; streamArn: string }> {
  const name = `redrive-${++seq}`;
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const t = await ddb.send(new DescribeTableCommand({ TableName: name }));
  return { name, streamArn: t.Table!.LatestStreamArn! };
}

const ok = (): InvokeResult => ({ status: 'ok', payload: null, durationMs: 1, coldStart: false, requestId: 'r-ok', logs: '' });
const failed = (): InvokeResult => ({ status: 'error', errorType: 'Error', errorMessage: 'downstream down', trace: [], durationMs: 1, coldStart: false, requestId: 'r-failed', logs: '' });

function environment(invoke: MappingEnvironment['invoke'], logs: string[] = []): MappingEnvironment {
  return {
    region: REGION,
    dataDir: dir,
    dynamodbEndpoint: dynamo.endpoint,
    kafkaBootstrap: () => undefined,
    invoke,
    sendToQueue: (queueArn, body) => void sqs.sendMessage(queueArn, body),
    log: (m) => logs.push(m),
  };
}

const visible = async (queueUrl: string) => {
  const out = await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible);
};

test("a failed batch arrives on the mapping's on-failure queue in Lambda's record shape, and the redrive replays it to the function", async () => {
  const { name, streamArn } = await table();
  const queue = sqs.deployQueue({ QueueName: `failures-${seq}` });
  let broken = true;
  const invoked: Array<{ fn: string; event: { Records: Array<{ eventName: string; eventSourceARN: string; dynamodb: { Keys: { pk: { S: string } }; SequenceNumber: string } }> } }> = [];
  let running: RunningMapping[] = [];
  running = await startMappings(
    [
      {
        uuid: `m-${seq}`,
        functionName: 'order-projector',
        eventSourceArn: streamArn,
        properties: {
          BatchSize: 10,
          StartingPosition: 'TRIM_HORIZON',
          MaximumRetryAttempts: 0,
          DestinationConfig: { OnFailure: { Destination: queue.Arn } },
        },
      },
    ],
    environment(async (fn, event) => {
      invoked.push({ fn, event: event as (typeof invoked)[number]['event'] });
      return broken ? failed() : ok();
    }),
  );
  try {
    await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'order-1' } } }));
    await eventually('the on-failure record on the queue', async () => ((await visible(queue.QueueUrl)) === 1 ? true : undefined), { timeoutMs: 20_000 });
    const sequenceNumber = invoked[0]!.event.Records[0]!.dynamodb.SequenceNumber;
    const peek = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    const record = JSON.parse(peek.Messages![0]!.Body!);
    expect(record).toEqual({
      requestContext: {
        requestId: 'r-failed',
        functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:order-projector`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: sequenceNumber,
        endSequenceNumber: sequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        batchSize: 1,
        streamArn,
      },
    });

    // the function still fails: the message stays on the queue
    const redriven: Array<{ fn: string; event: (typeof invoked)[number]['event'] }> = [];
    const first = await redriveQueue({
      sqs: sqsClient,
      queueUrl: queue.QueueUrl,
      region: REGION,
      dynamodbEndpoint: dynamo.endpoint,
      invoke: async () => {
        throw new Error('still down');
      },
    });
    expect({ redriven: first.redriven, failed: first.failed, unreadable: first.unreadable }).toEqual({ redriven: 0, failed: 1, unreadable: 0 });
    expect(await visible(queue.QueueUrl)).toBe(1);

    // fixed: the redrive replays the batch read back from the stream, and deletes the message
    broken = false;
    const second = await redriveQueue({
      sqs: sqsClient,
      queueUrl: queue.QueueUrl,
      region: REGION,
      dynamodbEndpoint: dynamo.endpoint,
      invoke: async (fn, event) => void redriven.push({ fn, event: event as (typeof invoked)[number]['event'] }),
    });
    expect({ redriven: second.redriven, failed: second.failed, unreadable: second.unreadable }).toEqual({ redriven: 1, failed: 0, unreadable: 0 });
    expect(redriven).toHaveLength(1);
    expect(redriven[0]!.fn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:order-projector`);
    expect(redriven[0]!.event).toEqual(invoked[0]!.event); // the very event the mapping sent
    expect(await visible(queue.QueueUrl)).toBe(0);
  } finally {
    await Promise.all(running.map((m) => m.stop()));
  }
});

test('the checkpoint is replaced by a rename (a crash mid-write leaves the previous one whole), never rewritten in place', async () => {
  const { name, streamArn } = await table();
  const uuid = `cp-${seq}`;
  const file = path.join(dir, 'esm', `${uuid}.json`);
  const delivered: string[] = [];
  const running = await startMappings(
    [{ uuid, functionName: 'fn', eventSourceArn: streamArn, properties: { BatchSize: 1, StartingPosition: 'TRIM_HORIZON' } }],
    environment(async (_fn, event) => {
      delivered.push(...(event as { Records: Array<{ dynamodb: { Keys: { pk: { S: string } } } }> }).Records.map((r) => r.dynamodb.Keys.pk.S));
      return ok();
    }),
  );
  try {
    await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' } } }));
    await eventually('the first checkpoint', () => (delivered.includes('a') ? true : undefined), { timeoutMs: 20_000 });
    await eventually('the checkpoint file', () => (Object.keys(JSON.parse(readFileSync(file, 'utf8'))).length ? true : undefined));
    const before = statSync(file).ino;
    const content = readFileSync(file, 'utf8');
    await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'b' } } }));
    await eventually('the next checkpoint', () => (readFileSync(file, 'utf8') !== content ? true : undefined), { timeoutMs: 20_000 });
    expect(statSync(file).ino).not.toBe(before);
  } finally {
    await Promise.all(running.map((m) => m.stop()));
  }
});

test('a failing GetShardIterator is logged and retried: no unhandled rejection ends the process', async () => {
  const { name, streamArn } = await table();
  await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'x' } } }));
  const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0]!.ShardId!;
  streams.destroy();
  const uuid = `bad-${seq}`;
  mkdirSync(path.join(dir, 'esm'), { recursive: true });
  // a checkpoint DynamoDB Local refuses as a sequence number: every GetShardIterator fails
  writeFileSync(path.join(dir, 'esm', `${uuid}.json`), JSON.stringify({ [shardId]: 'not-a-sequence-number' }));
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  const logs: string[] = [];
  const running = await startMappings(
    [{ uuid, functionName: 'fn', eventSourceArn: streamArn, properties: { StartingPosition: 'TRIM_HORIZON' } }],
    environment(async () => ok(), logs),
  );
  try {
    await eventually('two failed attempts logged', () => (logs.filter((l) => l.includes(shardId)).length >= 2 ? true : undefined), { timeoutMs: 20_000 });
    expect(rejections).toEqual([]);
  } finally {
    await Promise.all(running.map((m) => m.stop()));
    process.off('unhandledRejection', onRejection);
  }
});

test("a Kafka batch given up on is redriven from the topic's offsets, through the filter criteria of the mapping that read it", async () => {
  const broker = await startBroker();
  const cluster = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/local/redrive-${++seq}`;
  const queue = sqs.deployQueue({ QueueName: `kafka-failures-${seq}` });
  const fn = 'catalog-signals';
  // one function, two mappings on one cluster, each with its own filter: the redrive must take the one that read the topic
  const mapping = (topic: string, type: string) => ({
    uuid: `k-${topic}-${seq}`,
    functionName: fn,
    eventSourceArn: cluster,
    properties: {
      Topics: [topic],
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: `g-${topic}` },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: queue.Arn } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ value: { type: [type] } }) }] },
    },
  });
  const specs = [mapping('stock-events', 'stock.changed'), mapping('order-events', 'order.confirmed')];
  const valuesOf = (event: unknown) =>
    Object.values((event as { records: Record<string, Array<{ value: string }>> }).records)
      .flat()
      .map((r) => JSON.parse(Buffer.from(r.value, 'base64').toString('utf8')) as { type: string; n: number });
  const invoked: unknown[] = [];
  await broker.broker.createTopic('stock-events', 1);
  await broker.broker.createTopic('order-events', 1);
  const running = await startMappings(specs, { ...environment(async (_fn, event) => (invoked.push(event), failed())), kafkaBootstrap: () => broker.broker.bootstrap });
  const producer = client(broker).producer(producerConfig());
  try {
    await producer.connect();
    const events = [
      { type: 'stock.changed', n: 1 },
      { type: 'stock.reserved', n: 2 },
      { type: 'order.confirmed', n: 3 }, // on the stock topic: the stock mapping's filter drops it
      { type: 'stock.changed', n: 4 },
    ];
    await producer.send({ topic: 'stock-events', acks: -1, messages: events.map((e) => ({ value: JSON.stringify(e) })) });
    await eventually('the on-failure record on the queue', async () => ((await visible(queue.QueueUrl)) === 1 ? true : undefined), { timeoutMs: 20_000 });
    expect(valuesOf(invoked[0]).map((e) => e.n)).toEqual([1, 4]);
    const peek = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    expect(JSON.parse(peek.Messages![0]!.Body!).KafkaBatchInfo).toMatchObject({ eventSourceArn: cluster, recordsInfo: { 'stock-events-0': { firstRecordOffset: '0', lastRecordOffset: '3' } } });

    const redriven: unknown[] = [];
    const report = await redriveQueue({
      sqs: sqsClient,
      queueUrl: queue.QueueUrl,
      region: REGION,
      dynamodbEndpoint: dynamo.endpoint,
      invoke: async (_fn, event) => void redriven.push(event),
      async filters(functionArn, sourceArn, topic) {
        const m = specs.find((x) => functionArn.endsWith(`:function:${x.functionName}`) && x.eventSourceArn === sourceArn && x.properties.Topics.includes(topic!));
        return (m?.properties.FilterCriteria.Filters ?? []).map((f) => JSON.parse(f.Pattern) as Record<string, never>);
      },
    });
    expect({ redriven: report.redriven, failed: report.failed, unreadable: report.unreadable }).toEqual({ redriven: 1, failed: 0, unreadable: 0 });
    expect(redriven).toHaveLength(1);
    expect(valuesOf(redriven[0]).map((e) => e.n)).toEqual([1, 4]); // the records the mapping sent, no others of the range
    expect(await visible(queue.QueueUrl)).toBe(0);
  } finally {
    await producer.disconnect();
    await Promise.all(running.map((m) => m.stop()));
    await broker.stop();
  }
});
