/**
 * On-failure invocation records, in the shape Lambda sends them to an SQS (or SNS) destination
 * when an event source mapping gives a batch up: the failed invocation's metadata and where the
 * batch's records are in the source (shard and sequence numbers, or topic-partition and
 * offsets), never the records themselves (only S3 destinations get those). Redriving reads the
 * records back from the source (local/esm/redrive.ts).
 */
import { randomUUID } from 'node:crypto';
import { invocationContexts } from './invocation';

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface StreamRecordRef {
  dynamodb: { SequenceNumber?: string; ApproximateCreationDateTime?: number };
}

export interface DdbStreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  batchSize: number;
  streamArn: string;
}

export interface KafkaRecordsInfo {
  firstRecordOffset: string;
  lastRecordOffset: string;
  firstRecordTimestamp: string;
  lastRecordTimestamp: string;
}

export interface KafkaBatchInfo {
  batchSize: number;
  eventSourceArn: string;
  bootstrapServers: string;
  payloadSize: number;
  recordsInfo: Record<string, KafkaRecordsInfo>;
}

export interface OnFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: FailureCondition; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo?: DdbStreamBatchInfo;
  KafkaBatchInfo?: KafkaBatchInfo;
}

const isoSeconds = (epochSeconds: number | undefined, now: Date) =>
  (epochSeconds === undefined ? now : new Date(epochSeconds * 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Common {
  functionArn: string;
  attempts: number;
  condition: FailureCondition;
  lastError: unknown;
  now?: Date;
}

function envelope(c: Common): Pick<OnFailureRecord, 'requestContext' | 'responseContext' | 'version' | 'timestamp'> {
  const { requestContext, responseContext } = invocationContexts(c.functionArn, c.attempts, c.lastError, randomUUID());
  return {
    requestContext: { ...requestContext, condition: c.condition },
    responseContext: responseContext as OnFailureRecord['responseContext'],
    version: '1.0',
    timestamp: (c.now ?? new Date()).toISOString(),
  };
}

export function ddbStreamFailureRecord(c: Common & { streamArn: string; shardId: string; records: StreamRecordRef[] }): OnFailureRecord {
  const now = c.now ?? new Date();
  const first = c.records[0]!.dynamodb;
  const last = c.records[c.records.length - 1]!.dynamodb;
  return {
    ...envelope(c),
    DDBStreamBatchInfo: {
      shardId: c.shardId,
      startSequenceNumber: first.SequenceNumber!,
      endSequenceNumber: last.SequenceNumber!,
      approximateArrivalOfFirstRecord: isoSeconds(first.ApproximateCreationDateTime, now),
      approximateArrivalOfLastRecord: isoSeconds(last.ApproximateCreationDateTime, now),
      batchSize: c.records.length,
      streamArn: c.streamArn,
    },
  };
}

export interface KafkaEventLike {
  eventSourceArn: string;
  bootstrapServers: string;
  records: Record<string, Array<{ offset: number; timestamp: number }>>;
}

export function kafkaFailureRecord(c: Common & { event: KafkaEventLike }): OnFailureRecord {
  const recordsInfo: Record<string, KafkaRecordsInfo> = {};
  let batchSize = 0;
  for (const [key, records] of Object.entries(c.event.records)) {
    if (!records.length) continue;
    batchSize += records.length;
    const first = records[0]!;
    const last = records[records.length - 1]!;
    recordsInfo[key] = {
      firstRecordOffset: String(first.offset),
      lastRecordOffset: String(last.offset),
      firstRecordTimestamp: new Date(first.timestamp).toISOString(),
      lastRecordTimestamp: new Date(last.timestamp).toISOString(),
    };
  }
  return {
    ...envelope(c),
    KafkaBatchInfo: {
      batchSize,
      eventSourceArn: c.event.eventSourceArn,
      bootstrapServers: c.event.bootstrapServers,
      payloadSize: Buffer.byteLength(JSON.stringify(c.event)),
      recordsInfo,
    },
  };
}
