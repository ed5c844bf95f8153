/**
 * Starts each accepted order's saga: fed by the order log's stream (the mapping's filter passes
 * only inserts of OrderPlaced), it calls StartExecution named by the order id with the saga's
 * input. So accepting an order is one write, and the saga follows from it even if the API died
 * right after the append. An execution that already exists for the order means it had started
 * (a redelivered record): done. Any other failure reports the record and those after it as
 * failed, and the mapping retries them until they succeed: a lost start would be a lost order.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { streamHandler } from '../../shared/stream';
import { sagaExecutions } from '../dependencies';
import type { OrderPlacedData } from '../domain/events';
import { startSaga, type PlacedRecord } from '../use-cases/start-saga';

const executions = sagaExecutions();

function placed(record: DynamoDBRecord): PlacedRecord | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>) as { order_id: string; type: string; at: string; data: OrderPlacedData };
  return item.type === 'OrderPlaced' ? { orderId: item.order_id, at: item.at, data: item.data } : undefined;
}

export async function startSagas(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  // The orders of a batch are independent: their starts go out together.
  const outcomes = await Promise.allSettled(
    event.Records.map(async (record) => {
      const p = placed(record);
      return p ? { orderId: p.orderId, ...(await startSaga(executions, p)) } : undefined;
    }),
  );
  let started = 0;
  let already = 0;
  const firstFailure = outcomes.findIndex((o) => o.status === 'rejected');
  outcomes.forEach((o, i) => {
    if (o.status === 'rejected') {
      logger.error('starting a saga failed; the stream retries it', { error: o.reason as Error, sequence_number: event.Records[i]!.dynamodb?.SequenceNumber });
    } else if (o.value?.started) started++;
    else if (o.value) {
      already++;
      logger.info('saga already started', { order_id: o.value.orderId, execution_arn: o.value.executionArn });
    }
  });
  if (started) metrics.addMetric('SagasStarted', MetricUnit.Count, started);
  if (already) metrics.addMetric('SagaStartsRepeated', MetricUnit.Count, already);
  if (firstFailure < 0) return { batchItemFailures: [] };
  metrics.addMetric('SagaStartFailures', MetricUnit.Count, outcomes.filter((o) => o.status === 'rejected').length);
  // Lambda resumes from the lowest reported record: report the first failure (the records after it are retried too; their starts are idempotent).
  return { batchItemFailures: [{ itemIdentifier: event.Records[firstFailure]!.dynamodb!.SequenceNumber! }] };
}

export const handler = streamHandler(startSagas);
