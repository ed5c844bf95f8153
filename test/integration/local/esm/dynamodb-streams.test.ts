/**
 * The DynamoDB Streams event source mapping against DynamoDB Local's real streams: with no retry
 * limit (the template's default, and the outbox's setting) a batch is retried until the function
 * takes it, never given to the on-failure destination; with a limit it is, after exactly that
 * many retries; records of one item arrive in the order they were written; a batching window
 * gathers what is written during it into one invoke, unless the batch fills first; and with a
 * ParallelizationFactor one shard's batch goes out in concurrent lanes, each item's changes in order.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../../local/dynamodb';
import { DynamoDbStreamMapping } from '../../../../local/esm/dynamodb-streams';
import { eventually } from '../../../support/poll';

type Rec = { dynamodb: { Keys: { pk: { S: string } }; NewImage: { pk: { S: string }; n: { N: string } } } };

describe('DynamoDB Streams mapping', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'esm-streams-'));
  let dynamo: DynamoDbLocal;
  let client: DynamoDBClient;
  let tableSeq = 0;

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ port: 0 });
    client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function table(): Promise<{ name: string; streamArn: string }> {
    const name = `esm-${++tableSeq}`;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const t = await client.send(new DescribeTableCommand({ TableName: name }));
    return { name, streamArn: t.Table!.LatestStreamArn! };
  }

  function mapping(
    streamArn: string,
    maximumRetryAttempts: number,
    invoke: (event: { Records: Rec[] }) => Promise<unknown>,
    failures: unknown[],
    batching: { batchSize?: number; maximumBatchingWindowMs?: number; parallelizationFactor?: number } = {},
  ) {
    return new DynamoDbStreamMapping({
      uuid: `m-${tableSeq}`,
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      streamArn,
      batchSize: batching.batchSize ?? 10,
      maximumBatchingWindowMs: batching.maximumBatchingWindowMs ?? 0,
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts,
      retryDelayMs: () => 5,
      bisectBatchOnError: false,
      reportBatchItemFailures: false,
      parallelizationFactor: batching.parallelizationFactor,
      filters: [],
      checkpointFile: path.join(dir, `cp-${tableSeq}.json`),
      invoke: invoke as (event: unknown) => Promise<unknown>,
      onFailure: async (info) => void failures.push(info),
      log: () => undefined,
    });
  }

  it('with no retry limit, retries a failing batch (here 25 times, past any limit) until the function takes it', async () => {
    const { name, streamArn } = await table();
    let calls = 0;
    const delivered: string[] = [];
    const failures: unknown[] = [];
    const m = mapping(streamArn, -1, async (event) => {
      calls++;
      if (calls <= 25) throw new Error('Kafka is down');
      for (const r of event.Records) delivered.push(r.dynamodb.Keys.pk.S);
    }, failures);
    m.start();
    try {
      await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'evt-1' }, n: { N: '1' } } }));
      await eventually('the record to be delivered', () => (delivered.length ? delivered : undefined), { timeoutMs: 30_000 });
      expect(delivered).toEqual(['evt-1']);
      expect(calls).toBe(26);
      expect(failures).toEqual([]);
    } finally {
      await m.stop();
    }
  });

  it('with a limit of 2, gives the batch to the on-failure destination after exactly 3 attempts, then moves on', async () => {
    const { name, streamArn } = await table();
    let calls = 0;
    const delivered: string[] = [];
    const failures: Array<{ attempts: number }> = [];
    const m = mapping(streamArn, 2, async (event) => {
      calls++;
      if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'poison')) throw new Error('cannot take it');
      for (const r of event.Records) delivered.push(r.dynamodb.Keys.pk.S);
    }, failures as unknown[]);
    m.start();
    try {
      await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'poison' }, n: { N: '1' } } }));
      await eventually('the poison batch to be given up', () => (failures.length ? failures : undefined));
      expect(failures).toHaveLength(1);
      expect(failures[0]!.attempts).toBe(3);
      await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'after' }, n: { N: '2' } } }));
      await eventually('the next record', () => (delivered.includes('after') ? true : undefined));
      expect(calls).toBe(4);
    } finally {
      await m.stop();
    }
  });

  it('delivers the changes of one item in the order they were written', async () => {
    const { name, streamArn } = await table();
    const seen: number[] = [];
    const m = mapping(streamArn, -1, async (event) => {
      for (const r of event.Records) seen.push(Number(r.dynamodb.NewImage.n.N));
    }, []);
    m.start();
    try {
      for (let n = 1; n <= 30; n++) await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'one-aggregate' }, n: { N: String(n) } } }));
      await eventually('all 30 changes', () => (seen.length >= 30 ? seen : undefined), { timeoutMs: 30_000 });
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      await m.stop();
    }
  });

  it('with a batching window, gathers the records written during it into one invoke', async () => {
    const { name, streamArn } = await table();
    const batches: string[][] = [];
    const m = mapping(streamArn, -1, async (event) => void batches.push(event.Records.map((r) => r.dynamodb.Keys.pk.S)), [], { maximumBatchingWindowMs: 3000 });
    m.start();
    try {
      // three writes well inside the window that the first one's read opens
      for (const k of ['w-1', 'w-2', 'w-3']) {
        await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: k }, n: { N: '1' } } }));
        await new Promise((r) => setTimeout(r, 100));
      }
      await eventually('the batch', () => (batches.flat().length >= 3 ? true : undefined), { timeoutMs: 30_000 });
      expect(batches).toEqual([['w-1', 'w-2', 'w-3']]);
    } finally {
      await m.stop();
    }
  });

  it('with a batching window, invokes as soon as the batch is full, long before the window ends', async () => {
    const { name, streamArn } = await table();
    const batches: string[][] = [];
    // a window of five minutes (the most Lambda allows): the test's 30 s wait ends first unless a full batch goes at once
    const m = mapping(streamArn, -1, async (event) => void batches.push(event.Records.map((r) => r.dynamodb.Keys.pk.S)), [], { batchSize: 5, maximumBatchingWindowMs: 300_000 });
    m.start();
    try {
      for (let i = 1; i <= 5; i++) await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: `f-${i}` }, n: { N: String(i) } } }));
      await eventually('the full batch', () => (batches.length ? true : undefined), { timeoutMs: 30_000 });
      expect(batches).toEqual([['f-1', 'f-2', 'f-3', 'f-4', 'f-5']]);
    } finally {
      await m.stop();
    }
  });

  it('with a ParallelizationFactor of 3, delivers a batch in concurrent lanes by partition key, each item in order, and checkpoints past it once', async () => {
    const { name, streamArn } = await table();
    const keys = Array.from({ length: 8 }, (_, i) => `p-${i}`);
    // written before the mapping starts: its first read is one batch of all 24 changes
    for (let n = 1; n <= 3; n++) for (const k of keys) await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: k }, n: { N: String(n) } } }));
    const seen = new Map<string, number[]>();
    const lanes: string[][] = [];
    let inFlight = 0;
    let most = 0;
    const deliver = async (event: { Records: Rec[] }) => {
      inFlight++;
      most = Math.max(most, inFlight);
      lanes.push(event.Records.map((r) => r.dynamodb.Keys.pk.S));
      await new Promise((r) => setTimeout(r, 200));
      for (const r of event.Records) seen.set(r.dynamodb.Keys.pk.S, [...(seen.get(r.dynamodb.Keys.pk.S) ?? []), Number(r.dynamodb.NewImage.n.N)]);
      inFlight--;
    };
    const m = mapping(streamArn, -1, deliver, [], { batchSize: 100, parallelizationFactor: 3 });
    m.start();
    try {
      await eventually('all 24 changes', () => ([...seen.values()].flat().length >= 24 ? true : undefined), { timeoutMs: 30_000 });
    } finally {
      await m.stop();
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);
    expect(lanes.length).toBeLessThanOrEqual(3);
    // one key, one lane
    for (const k of keys) expect(lanes.filter((l) => l.includes(k))).toHaveLength(1);
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(keys.map((k) => [k, [1, 2, 3]])));

    // the checkpoint is past the whole batch: a mapping started again on it delivers nothing old
    const again: string[] = [];
    const m2 = mapping(streamArn, -1, async (event) => void again.push(...event.Records.map((r) => r.dynamodb.Keys.pk.S)), [], { parallelizationFactor: 3 });
    m2.start();
    try {
      await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'after' }, n: { N: '1' } } }));
      await eventually('the new change', () => (again.includes('after') ? true : undefined), { timeoutMs: 30_000 });
      expect(again).toEqual(['after']);
    } finally {
      await m2.stop();
    }
  });
});
