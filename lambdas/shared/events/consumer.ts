/**
 * The consumer side of the backbone: a Lambda handler for a Kafka event source mapping that
 * parses each record's envelope (Powertools' Kafka utility), skips events already handled
 * (Powertools' Idempotency utility, keyed by event id per consumer, in the processed-events
 * table) and hands the rest to the service's handler one by one, in partition order. A failure
 * fails the batch so the mapping retries it (and, after its retries, sends it to the on-failure
 * destination); the events handled before the failure are skipped on the retry.
 */
import { kafkaConsumer } from '@aws-lambda-powertools/kafka';
import { SchemaType } from '@aws-lambda-powertools/kafka';
import type { MSKEvent } from '@aws-lambda-powertools/kafka/types';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { readProcessedEventsTable } from '../env';
import { observability } from '../middleware/observability';
import { logger, metrics, MetricUnit } from '../powertools';
import { deduplicator, type EventHandler } from './dedup';
import { envelopeSchema, type EventEnvelope } from './envelope';

export type { EventContext, EventHandler } from './dedup';

export interface ConsumerOptions {
  /** names this consumer in the dedup keys: two consumers of one event each handle it once */
  consumerName: string;
  /** how long an event id is remembered (default 7 days) */
  dedupSeconds?: number;
}

export function eventConsumer(handle: EventHandler, options: ConsumerOptions) {
  const dedup = deduplicator(handle, { ...options, tableName: readProcessedEventsTable() });

  const perBatch = kafkaConsumer<string, unknown>(
    async (event, context: Context) => {
      dedup.registerLambdaContext(context);
      let handled = 0;
      for (const record of event.records) {
        const parsed = envelopeSchema.safeParse(record.value);
        if (!parsed.success) {
          // A poison message is logged and counted, never retried forever.
          logger.error('dropping a record that is not an event envelope', { topic: record.topic, partition: record.partition, offset: record.offset });
          metrics.addMetric('KafkaPoisonMessages', MetricUnit.Count, 1);
          continue;
        }
        const ev = parsed.data as EventEnvelope;
        if (await dedup.handle(ev, { topic: record.topic, partition: record.partition, offset: record.offset })) handled++;
      }
      metrics.addMetric('KafkaMessagesConsumed', MetricUnit.Count, handled);
      return { handled };
    },
    { value: { type: SchemaType.JSON } },
  );

  return middy<MSKEvent, unknown>((event: MSKEvent, context: Context) => perBatch(event, context)).use(observability());
}
