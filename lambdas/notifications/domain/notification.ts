/**
 * One notification: one message on one channel to one recipient, and its fate. The record is
 * written as `pending` before the send (claiming it), then becomes `sent` or `failed`; it keeps
 * the message as rendered, so the history shows exactly what the customer got and a send resumed
 * after a crash sends the same message.
 *
 * Ids are derived: an event's notification on a channel is `hash(event id, channel)`, so that the
 * same event can never make two records for one channel (the store's put is conditional on the id).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Channel } from './channels';

export const STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof STATUSES)[number];

export interface NotificationError {
  code: string;
  message: string;
}

export interface NotificationRecord {
  notification_id: string;
  channel: Channel;
  /** the template (order_confirmed, ...) or `custom` for an operator's own text */
  type: string;
  /** address, E.164 number or push endpoint ARN */
  recipient: string;
  user_id?: string;
  order_id?: string;
  /** the event that caused it (consumer sends) */
  event_id?: string;
  event_type?: string;
  /** `event` (the consumer) or `api` (a direct send) */
  source: 'event' | 'api';
  status: NotificationStatus;
  /** email subject or push title */
  subject?: string;
  /** text body (email text part, SMS text, push body) */
  body: string;
  /** email HTML part */
  html?: string;
  /** sends tried so far */
  attempts: number;
  provider_message_id?: string;
  error?: NotificationError;
  created_at: string;
  updated_at: string;
  sent_at?: string;
  failed_at?: string;
  /** while pending: until when the sender that claimed it owns it */
  lease_until?: string;
}

/** A 32-hex-digit id from the parts, stable for the same parts. */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export const eventNotificationId = (eventId: string, channel: Channel) => `ntf_${digest('event', eventId, channel)}`;
export const requestNotificationId = (idempotencyKey: string) => `ntf_${digest('request', idempotencyKey)}`;
export const newNotificationId = () => `ntf_${randomUUID().replace(/-/g, '')}`;

export const CUSTOM_TYPE = 'custom';
