/**
 * The transactional outbox: a service writes its events as items of the outbox table in the
 * same DynamoDB transaction as the state change they announce, so the two cannot be split by a
 * crash. The outbox table's stream feeds the publisher function, which puts them on Kafka.
 *
 * Items are keyed (aggregate_id, event_id): one aggregate's events share a partition key, so
 * they reach the table's stream, and from it Kafka, in the order they were written (a stream
 * keeps the order of one partition's changes); keyed by event id alone, two events of one
 * aggregate could land in different shards and be published out of order.
 */
import type { EventEnvelope } from './envelope';
import { topicFor } from './envelope';

/** Outbox items expire a week after they were written (the stream holds them 24 h). */
const RETENTION_SECONDS = 7 * 24 * 3600;

export interface OutboxRecord {
  /** the event's subject: its partition key, and the Kafka key */
  aggregate_id: string;
  event_id: string;
  topic: string;
  key: string;
  type: string;
  /** the envelope as JSON, exactly as it will be published */
  envelope: string;
  created_at: string;
  expires_at: number;
}

export function outboxRecord(event: EventEnvelope): OutboxRecord {
  return {
    aggregate_id: event.subject,
    event_id: event.id,
    topic: topicFor(event),
    key: event.subject,
    type: event.type,
    envelope: JSON.stringify(event),
    created_at: event.time,
    expires_at: Math.floor(Date.parse(event.time) / 1000) + RETENTION_SECONDS,
  };
}

/** A TransactWriteItems entry (lib-dynamodb form) that adds the event to the outbox, once. */
export function outboxPut(tableName: string, event: EventEnvelope) {
  return {
    Put: {
      TableName: tableName,
      Item: outboxRecord(event),
      ConditionExpression: 'attribute_not_exists(event_id)',
    },
  };
}
