/**
 * Exactly-once handling on top of at-least-once delivery: each (consumer, event id) pair is
 * handled once, recorded with Powertools' Idempotency utility in the processed-events table
 * (in progress while the handler runs, completed after; an expired in-progress record lets a
 * crashed attempt be retried). Kept apart from the Lambda wrapper so it can be used and tested
 * on its own.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { EventEnvelope } from './envelope';

export interface EventContext {
  topic: string;
  partition: number;
  offset: number;
}

export type EventHandler = (event: EventEnvelope, ctx: EventContext) => Promise<void>;

export interface DedupOptions {
  /** names this consumer in the dedup keys: two consumers of one event each handle it once */
  consumerName: string;
  tableName: string;
  /** how long an event id is remembered (default 7 days) */
  dedupSeconds?: number;
  client?: DynamoDBClient;
}

export interface Deduplicator {
  /** handles the event unless this consumer already did; resolves whether it ran the handler */
  handle(event: EventEnvelope, ctx: EventContext): Promise<boolean>;
  registerLambdaContext(context: Context): void;
}

export function deduplicator(handler: EventHandler, options: DedupOptions): Deduplicator {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: options.client });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'dedupKey',
    expiresAfterSeconds: options.dedupSeconds ?? 7 * 24 * 3600,
    throwOnNoIdempotencyKey: true,
  });
  // The keys whose handler ran in this environment and whose call has not returned yet: one
  // invocation handles several events at once (the consumer's lanes), so "did it run" is per key.
  const ran = new Set<string>();
  const once = makeIdempotent(
    async (input: { dedupKey: string; event: EventEnvelope; ctx: EventContext }) => {
      ran.add(input.dedupKey);
      await handler(input.event, input.ctx);
      return { handled: input.event.id };
    },
    { persistenceStore, config },
  );
  return {
    async handle(event, ctx) {
      const dedupKey = `${options.consumerName}#${event.id}`;
      ran.delete(dedupKey);
      try {
        await once({ dedupKey, event, ctx });
        return ran.has(dedupKey);
      } finally {
        ran.delete(dedupKey);
      }
    },
    registerLambdaContext: (context) => config.registerLambdaContext(context),
  };
}
