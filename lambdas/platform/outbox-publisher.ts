/**
 * The transactional outbox's publisher: fed by the outbox table's stream (INSERTs only), it
 * puts each event on its topic, keyed by aggregate id, with acks from all in-sync replicas.
 * The batch goes out in one produce call; if it fails, every record of the batch is reported
 * as failed so the stream retries from the first (ordering per key is kept). A crash after the
 * send and before the checkpoint publishes an event twice: consumers deduplicate by event id.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as StreamAttributeValue, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { applyFault } from '../shared/middleware/fault-injection';
import { kafkaPublisher, toMessage } from '../shared/events/kafka';
import type { EventEnvelope } from '../shared/events/envelope';
import type { OutboxRecord } from '../shared/events/outbox';
import { logger, metrics, MetricUnit } from '../shared/powertools';
import { streamHandler } from '../shared/stream';
import { readOutboxPublisherConfig } from './env';

const config = readOutboxPublisherConfig();
const kafka = kafkaPublisher(config.kafka);

export async function publishOutbox(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const records = event.Records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage);
  if (!records.length) return { batchItemFailures: [] };
  const entries = records.map((r) => {
    const item = unmarshall(r.dynamodb!.NewImage as Record<string, StreamAttributeValue> as Record<string, AttributeValue>) as OutboxRecord;
    return { topic: item.topic, message: toMessage(JSON.parse(item.envelope) as EventEnvelope, item.envelope) };
  });
  try {
    await kafka.send(entries);
  } catch (err) {
    logger.error('publishing outbox events failed; the stream will retry', { error: err as Error, records: records.length });
    metrics.addMetric('OutboxPublishFailures', MetricUnit.Count, 1);
    return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
  }
  metrics.addMetric('OutboxEventsPublished', MetricUnit.Count, records.length);
  // Drives the "crash between publish and checkpoint" test: the events are out, the checkpoint is not.
  await applyFault(config.faultAfterPublish, config.faultInjection);
  return { batchItemFailures: [] };
}

export const handler = streamHandler(publishOutbox);
