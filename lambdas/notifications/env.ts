/**
 * The Notifications functions' environment: the names of their variables (lib/services/notifications.ts
 * imports them) and the reader that the dependency module calls once, at load. Importing this
 * module reads nothing.
 */
import { numberEnv, optionalEnv, requiredEnv } from '../shared/config';
import { readProcessedEventsTable } from '../shared/env';
import { DEFAULT_RETRY, type RetryPolicy } from './domain/retry';

export const NOTIFICATIONS_ENV = {
  preferencesTable: 'NOTIFICATION_PREFERENCES_TABLE',
  historyTable: 'NOTIFICATIONS_TABLE',
  /** the order -> user projection (consumer only) */
  ordersTable: 'NOTIFICATION_ORDERS_TABLE',
  /** the From address of emails: an address of the SES identity */
  fromAddress: 'NOTIFICATIONS_FROM_ADDRESS',
  /** the SES configuration set every email names */
  configurationSet: 'NOTIFICATIONS_CONFIGURATION_SET',
  /** the SNS platform application push tokens are registered with */
  pushApplicationArn: 'NOTIFICATIONS_PUSH_APPLICATION_ARN',
  /** the SMS sender id, where the destination country supports one (optional) */
  smsSenderId: 'NOTIFICATIONS_SMS_SENDER_ID',
  /** attempts per channel, the first included (default 3) */
  maxAttempts: 'NOTIFICATIONS_MAX_ATTEMPTS',
  /** the first retry's wait in ms, doubled after (default 200) */
  retryBaseMs: 'NOTIFICATIONS_RETRY_BASE_MS',
} as const;

/**
 * The push platform application the template names when its context names none: `app/GCM/<name>`
 * in the stack's region and account (the local cloud creates it at start).
 */
export const DEFAULT_PUSH_APPLICATION = { platform: 'GCM', name: 'ecommerce-notifications' } as const;

export interface ChannelConfig {
  fromAddress: string;
  configurationSet?: string;
  pushApplicationArn: string;
  smsSenderId?: string;
  retry: RetryPolicy;
}

export interface NotificationsConfig extends ChannelConfig {
  preferencesTable: string;
  historyTable: string;
  /** the dedup markers live beside the consumers' Powertools records */
  processedEventsTable?: string;
  ordersTable?: string;
}

function readChannels(): ChannelConfig {
  const maxAttempts = numberEnv(NOTIFICATIONS_ENV.maxAttempts, DEFAULT_RETRY.maxAttempts);
  return {
    fromAddress: requiredEnv(NOTIFICATIONS_ENV.fromAddress),
    configurationSet: optionalEnv(NOTIFICATIONS_ENV.configurationSet),
    pushApplicationArn: requiredEnv(NOTIFICATIONS_ENV.pushApplicationArn),
    smsSenderId: optionalEnv(NOTIFICATIONS_ENV.smsSenderId),
    retry: { ...DEFAULT_RETRY, maxAttempts: Math.max(1, Math.floor(maxAttempts)), baseDelayMs: numberEnv(NOTIFICATIONS_ENV.retryBaseMs, DEFAULT_RETRY.baseDelayMs) },
  };
}

/** The API function's configuration. */
export function readApiConfig(): NotificationsConfig {
  return {
    ...readChannels(),
    preferencesTable: requiredEnv(NOTIFICATIONS_ENV.preferencesTable),
    historyTable: requiredEnv(NOTIFICATIONS_ENV.historyTable),
  };
}

/** The event consumer's configuration. */
export function readConsumerConfig(): Required<Pick<NotificationsConfig, 'processedEventsTable' | 'ordersTable'>> & NotificationsConfig {
  return {
    ...readApiConfig(),
    processedEventsTable: readProcessedEventsTable(),
    ordersTable: requiredEnv(NOTIFICATIONS_ENV.ordersTable),
  };
}
