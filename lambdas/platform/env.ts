/**
 * The platform functions' environment (the outbox publisher): Kafka from the shared contract, and
 * a test-only fault. Importing this module reads nothing.
 */
import { optionalEnv } from '../shared/config';
import { readFaultInjectionEnabled, readKafkaSettings, type KafkaSettings } from '../shared/env';

export const PLATFORM_ENV = {
  /**
   * A fault (see shared/middleware/fault-injection.ts) applied after a batch is published and
   * before its checkpoint, when fault injection is on: drives the outbox's crash test.
   */
  outboxFaultAfterPublish: 'FAULT_OUTBOX_AFTER_PUBLISH',
} as const;

export interface OutboxPublisherConfig {
  kafka: KafkaSettings;
  faultInjection: boolean;
  faultAfterPublish?: string;
}

export function readOutboxPublisherConfig(): OutboxPublisherConfig {
  return {
    kafka: readKafkaSettings(),
    faultInjection: readFaultInjectionEnabled(),
    faultAfterPublish: optionalEnv(PLATFORM_ENV.outboxFaultAfterPublish),
  };
}
