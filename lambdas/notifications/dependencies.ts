/**
 * Wires the Notifications adapters from configuration, once per execution environment: a
 * handler module calls its factory at load, so a missing variable fails the cold start. The API
 * function and the event consumer share the stores and the channels; only the consumer reads
 * the order projection and writes dedup markers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../shared/clock';
import { tracer } from '../shared/powertools';
import { sesClient, snsClient } from './adapters/aws/clients';
import { SesEmailSender } from './adapters/aws/ses-email';
import { SnsPushRegistry, SnsPushSender } from './adapters/aws/sns-push';
import { SnsSmsSender } from './adapters/aws/sns-sms';
import { DynamoDbNotificationStore } from './adapters/dynamodb/notification-store';
import { DynamoDbOrderDirectory } from './adapters/dynamodb/order-directory';
import { DynamoDbPreferencesStore } from './adapters/dynamodb/preferences-store';
import { PowertoolsNotificationMetrics } from './adapters/powertools-metrics';
import type { Senders } from './domain/ports';
import { readApiConfig, readConsumerConfig, type NotificationsConfig } from './env';
import type { EventDeps } from './use-cases/handle-event';
import type { PreferencesDeps } from './use-cases/preferences';
import type { SendDeps } from './use-cases/send';

/**
 * A claim owns its pending records this long. A live delivery ends well within it (three
 * attempts of at most 3 s each, with under a second of backoff, channels in parallel), so a live
 * send is never taken over; and it is shorter than the consumer's 60 s timeout, after which
 * Powertools lets a crashed invocation's events through again: by then the lease has run out and
 * the redelivery sends what the crash left pending instead of failing the batch.
 */
const LEASE_SECONDS = 30;
/** Event markers are kept as long as Powertools' records of the consumer (7 days). */
const DEDUP_SECONDS = 7 * 24 * 3600;

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

const dynamoDb = once(() => tracer.captureAWSv3Client(new DynamoDBClient({})));
const ses = once(() => tracer.captureAWSv3Client(sesClient()));
const sns = once(() => tracer.captureAWSv3Client(snsClient()));

function senders(config: NotificationsConfig): Senders {
  return {
    email: new SesEmailSender(ses(), { fromAddress: config.fromAddress, configurationSet: config.configurationSet }),
    sms: new SnsSmsSender(sns(), config.smsSenderId),
    push: new SnsPushSender(sns()),
  };
}

/** The API function: preferences, direct sends, history, health. */
export const apiDependencies = once((): SendDeps & PreferencesDeps => {
  const config = readApiConfig();
  return {
    preferences: new DynamoDbPreferencesStore(config.preferencesTable, dynamoDb()),
    // the API creates records one by one and never claims events: it needs no marker table
    store: new DynamoDbNotificationStore(config.historyTable, '', dynamoDb()),
    senders: senders(config),
    push: new SnsPushRegistry(sns(), config.pushApplicationArn),
    metrics: new PowertoolsNotificationMetrics(),
    retry: config.retry,
    clock: systemClock,
  };
});

/** The consumer of order and payment events. */
export const consumerDependencies = once((): EventDeps => {
  const config = readConsumerConfig();
  return {
    preferences: new DynamoDbPreferencesStore(config.preferencesTable, dynamoDb()),
    store: new DynamoDbNotificationStore(config.historyTable, config.processedEventsTable, dynamoDb()),
    orders: new DynamoDbOrderDirectory(config.ordersTable, dynamoDb()),
    senders: senders(config),
    metrics: new PowertoolsNotificationMetrics(),
    retry: config.retry,
    clock: systemClock,
    leaseSeconds: LEASE_SECONDS,
    dedupSeconds: DEDUP_SECONDS,
  };
});
