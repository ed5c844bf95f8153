/**
 * The transactional outbox: a service writes its events as items of the outbox table in the
 * same DynamoDB transaction as the state change they announce, so the two cannot be split by a
 * crash. The outbox table's stream feeds the publisher function, which puts them on Kafka.
 */
import type { EventEnvelope } from './envelope';
import { topicFor } from './envelope';

/** Outbox items expire a week after they were written (the stream holds them 24 h). */
const RETENTION_SECONDS = 7 * 24 * 3600;

export interface OutboxRecord {
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
