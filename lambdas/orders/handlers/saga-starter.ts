/**
 * Starts each accepted order's saga: fed by the order log's stream (the mapping's filter passes
 * only inserts of OrderPlaced), it calls StartExecution named by the order id with the saga's
 * input. So accepting an order is one write, and the saga follows from it even if the API died
 * right after the append. An execution that already exists for the order means it had started
 * (a redelivered record): done. A failure reports the first failed record, and the mapping
 * retries from it until it succeeds: a lost start would be a lost order. A start Step Functions
 * refuses for good (its name or input) is logged for an operator rather than hold the shard.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { streamHandler } from '../../shared/stream';
import { isPermanentStartError } from '../adapters/stepfunctions/saga-executions';
import { sagaExecutions } from '../dependencies';
import type { OrderPlacedData } from '../domain/events';
import { startSagas as startAll, type PlacedRecord } from '../use-cases/start-saga';

const executions = sagaExecutions();

function placed(record: DynamoDBRecord): PlacedRecord | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>) as { order_id: string; type: string; at: string; trace?: string; data: OrderPlacedData };
  return item.type === 'OrderPlaced' ? { orderId: item.order_id, at: item.at, data: item.data, ...(item.trace ? { trace: item.trace } : {}) } : undefined;
}

export async function startSagas(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const records = event.Records.map((r) => ({ sequenceNumber: r.dynamodb?.SequenceNumber ?? '', placed: placed(r) }));
  const out = await startAll(executions, records, isPermanentStartError);
  for (const orderId of out.already) logger.info('saga already started', { order_id: orderId });
  for (const r of out.refused) logger.error('Step Functions refused to start a saga; left to an operator', { error: r.error as Error, sequence_number: r.sequenceNumber });
  for (const r of out.failed) logger.error('starting a saga failed; the stream retries it', { error: r.error as Error, sequence_number: r.sequenceNumber });
  if (out.started.length) metrics.addMetric('SagasStarted', MetricUnit.Count, out.started.length);
  if (out.already.length) metrics.addMetric('SagaStartsRepeated', MetricUnit.Count, out.already.length);
  if (out.refused.length) metrics.addMetric('SagaStartsRefused', MetricUnit.Count, out.refused.length);
  if (out.failed.length) metrics.addMetric('SagaStartFailures', MetricUnit.Count, out.failed.length);
  // Lambda resumes from the lowest reported record; the records after it are started again (idempotent).
  return { batchItemFailures: out.retryFrom ? [{ itemIdentifier: out.retryFrom }] : [] };
}

export const handler = streamHandler(startSagas);
