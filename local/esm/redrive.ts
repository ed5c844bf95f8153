/**
 * Redrive of an event source mapping's on-failure queue: each message is an on-failure
 * invocation record (on-failure.ts, the shape Lambda sends), which names the function and where
 * the failed batch's records are in the source, not the records. So, as one redrives on AWS,
 * the records are read back from the source (DynamoDB Streams: the shard from the start to the
 * end sequence number; Kafka: each topic-partition's offset range), passed through the mapping's
 * filter criteria, and the function is invoked with the event the mapping would have sent. A
 * message is deleted once its invoke succeeded; one that fails stays on the queue (visible again
 * when the run ends) and the run goes on with the next.
 *
 * Records the source no longer holds (a DynamoDB stream keeps 24 hours) cannot be redriven: the
 * message is kept and reported as such.
 */
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { toLambdaStreamRecord } from './dynamodb-streams';
import { passesFilters } from './event-pattern';
import { passesKafkaFilters, toMskRecord, type MskEvent, type MskRecord } from './kafka';
import type { OnFailureRecord } from './on-failure';

export interface RedriveOptions {
  sqs: SQSClient;
  queueUrl: string;
  region: string;
  /** invokes the function (ARN from the record) synchronously; throws when it failed */
  invoke(functionArn: string, event: unknown): Promise<void>;
  /** DynamoDB Streams endpoint (the edge endpoint serves it) */
  dynamodbEndpoint?: string;
  /** the filter patterns of the mapping that feeds `functionArn` from `sourceArn` (none: every record) */
  filters?(functionArn: string, sourceArn: string, topic?: string): Promise<Array<Record<string, never>>>;
  /** how long a received message stays invisible while it is redriven (default 300 s) */
  visibilityTimeoutSeconds?: number;
  log?(m: string): void;
}

export interface RedriveOutcome {
  messageId: string;
  functionArn?: string;
  source?: string;
  records: number;
  result: 'redriven' | 'failed' | 'unreadable';
  error?: string;
}

export interface RedriveReport {
  redriven: number;
  failed: number;
  unreadable: number;
  outcomes: RedriveOutcome[];
}

/** Replays every message on the queue once; resolves when the queue has nothing more to give this run. */
export async function redriveQueue(o: RedriveOptions): Promise<RedriveReport> {
  const log = o.log ?? (() => undefined);
  const outcomes: RedriveOutcome[] = [];
  const keep: string[] = []; // receipt handles of messages left on the queue
  const streams = o.dynamodbEndpoint
    ? new DynamoDBStreamsClient({ endpoint: o.dynamodbEndpoint, region: o.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
    : undefined;
  try {
    for (;;) {
      const out = await o.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: o.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: o.visibilityTimeoutSeconds ?? 300 }),
      );
      const messages = out.Messages ?? [];
      if (!messages.length) break;
      for (const m of messages) {
        const outcome = await redriveOne(o, streams, m.MessageId!, m.Body ?? '');
        outcomes.push(outcome);
        log(`${outcome.messageId}: ${outcome.result}${outcome.records ? ` (${outcome.records} record(s) to ${outcome.functionArn})` : ''}${outcome.error ? `: ${outcome.error}` : ''}`);
        if (outcome.result === 'redriven') await o.sqs.send(new DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
        else keep.push(m.ReceiptHandle!);
      }
    }
    // what could not be redriven is visible again for the next run (or a look with the console)
    for (const handle of keep) {
      await o.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: o.queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 })).catch(() => undefined);
    }
  } finally {
    streams?.destroy();
  }
  const count = (r: RedriveOutcome['result']) => outcomes.filter((x) => x.result === r).length;
  return { redriven: count('redriven'), failed: count('failed'), unreadable: count('unreadable'), outcomes };
}

async function redriveOne(o: RedriveOptions, streams: DynamoDBStreamsClient | undefined, messageId: string, body: string): Promise<RedriveOutcome> {
  let record: OnFailureRecord;
  try {
    record = JSON.parse(body) as OnFailureRecord;
  } catch {
    return { messageId, records: 0, result: 'unreadable', error: 'not an on-failure invocation record (not JSON)' };
  }
  const functionArn = record.requestContext?.functionArn;
  if (!functionArn) return { messageId, records: 0, result: 'unreadable', error: 'not an on-failure invocation record (no requestContext.functionArn)' };
  try {
    let event: unknown;
    let source: string;
    let count: number;
    if (record.DDBStreamBatchInfo) {
      if (!streams) throw new Error('no DynamoDB Streams endpoint to read the batch back from');
      const info = record.DDBStreamBatchInfo;
      source = info.streamArn;
      const filters = (await o.filters?.(functionArn, source)) ?? [];
      const records = (await readStreamRange(streams, info.streamArn, info.shardId, info.startSequenceNumber, info.endSequenceNumber))
        .map((r) => toLambdaStreamRecord(r, o.region, info.streamArn))
        .filter((r) => passesFilters(filters, r));
      event = { Records: records };
      count = records.length;
    } else if (record.KafkaBatchInfo) {
      const info = record.KafkaBatchInfo;
      source = info.eventSourceArn;
      const records: Record<string, MskRecord[]> = {};
      count = 0;
      for (const [key, range] of Object.entries(info.recordsInfo)) {
        const cut = key.lastIndexOf('-');
        const topic = key.slice(0, cut);
        const read = await readKafkaRange(info.bootstrapServers, topic, Number(key.slice(cut + 1)), range.firstRecordOffset, range.lastRecordOffset);
        // the filter criteria of the mapping that read this topic (one function may have a mapping
        // per topic of one cluster), on the value as Lambda filters Kafka records
        const filters = ((await o.filters?.(functionArn, source, topic)) ?? []).map((f) => JSON.stringify(f));
        const kept = read.filter((r) => passesKafkaFilters(filters, r.value === undefined ? undefined : Buffer.from(r.value, 'base64')));
        if (kept.length) records[key] = kept;
        count += kept.length;
      }
      event = { eventSource: 'aws:kafka', eventSourceArn: info.eventSourceArn, bootstrapServers: info.bootstrapServers, records } satisfies MskEvent;
    } else {
      return { messageId, functionArn, records: 0, result: 'unreadable', error: 'the record names no batch (DDBStreamBatchInfo or KafkaBatchInfo)' };
    }
    if (count === 0) return { messageId, functionArn, source, records: 0, result: 'unreadable', error: 'the source no longer holds the batch' };
    try {
      await o.invoke(functionArn, event);
    } catch (err) {
      return { messageId, functionArn, source, records: count, result: 'failed', error: (err as Error).message };
    }
    return { messageId, functionArn, source, records: count, result: 'redriven' };
  } catch (err) {
    return { messageId, functionArn, records: 0, result: 'unreadable', error: (err as Error).message };
  }
}

/** The shard's records from `start` to `end` (sequence numbers, inclusive). */
async function readStreamRange(client: DynamoDBStreamsClient, streamArn: string, shardId: string, start: string, end: string): Promise<StreamRecord[]> {
  const last = BigInt(end);
  const out: StreamRecord[] = [];
  let iterator = (
    await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: start }))
  ).ShardIterator;
  // an open shard's iterator never runs out: stop at the end sequence number, or at an empty page
  while (iterator) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const records = page.Records ?? [];
    for (const r of records) {
      if (BigInt(r.dynamodb!.SequenceNumber!) > last) return out;
      out.push(r);
    }
    if (!records.length || BigInt(records[records.length - 1]!.dynamodb!.SequenceNumber!) === last) return out;
    iterator = page.NextShardIterator;
  }
  return out;
}

/**
 * One partition's records from `first` to `last` (offsets, inclusive), read by a consumer of a
 * group of its own that seeks to `first` (kafkajs has no group-less consumer); the group commits
 * nothing.
 */
async function readKafkaRange(bootstrap: string, topic: string, partition: number, first: string, last: string): Promise<MskRecord[]> {
  const kafka = new Kafka({ clientId: 'redrive', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } });
  const consumer = kafka.consumer({ groupId: `redrive-${topic}-${partition}-${first}-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 200 });
  const out: MskRecord[] = [];
  const end = BigInt(last);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`offsets ${first}..${last} of ${topic}-${partition} not read within 30 s`)), 30_000);
      consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic, partition, offset: first }));
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition) return;
          for (const m of batch.messages) {
            const offset = BigInt(m.offset);
            if (offset < BigInt(first) || offset > end) continue;
            out.push(toMskRecord(topic, partition, m));
            if (offset === end) {
              clearTimeout(timer);
              resolve();
            }
          }
        },
      });
    });
    await done;
    return out;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
