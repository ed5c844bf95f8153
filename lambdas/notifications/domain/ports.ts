/** The ports of the Notifications use cases: the stores and the channels, implemented by adapters. */
import type { Channel } from './channels';
import type { OrderContact } from './events';
import type { NotificationError, NotificationRecord, NotificationStatus } from './notification';
import type { Preferences } from './preferences';

export interface PreferencesStore {
  get(userId: string): Promise<Preferences | undefined>;
  put(preferences: Preferences): Promise<void>;
  ping(): Promise<void>;
}

export type ClaimResult =
  /** the event was new: its marker and every record are written, pending, leased to this caller */
  | { claimed: true }
  /** the event was claimed before: the ids of the records that claim wrote */
  | { claimed: false; notificationIds: string[] };

export interface HistoryFilter {
  user_id?: string;
  order_id?: string;
  channel?: Channel;
  status?: NotificationStatus;
}

export interface Page<T> {
  items: T[];
  /** opaque position of the next page; absent on the last */
  next?: Record<string, unknown>;
}

export type Completion =
  | { status: 'sent'; provider_message_id: string; attempts: number; at: string }
  | { status: 'failed'; error: NotificationError; attempts: number; at: string };

export interface NotificationStore {
  /**
   * Deduplication and the send records in one atomic write: the event's marker (which lists its
   * records, possibly none) and each record, pending, or nothing at all when the marker exists.
   */
  claimEvent(eventId: string, records: NotificationRecord[], markerExpiresAt: number): Promise<ClaimResult>;
  /** Writes a new record (a direct send); false when one with its id exists (a repeated idempotent request). */
  create(record: NotificationRecord): Promise<boolean>;
  get(notificationId: string): Promise<NotificationRecord | undefined>;
  /** Takes over a pending record whose lease ended before `now`; undefined when it is not (any longer) such a record. */
  retake(notificationId: string, now: string, leaseUntil: string): Promise<NotificationRecord | undefined>;
  /** Ends a pending record as sent or failed (a record already ended is left as it is). */
  complete(notificationId: string, completion: Completion): Promise<NotificationRecord | undefined>;
  /** Newest first, filtered; `after` is a position a previous page gave. */
  query(filter: HistoryFilter, limit: number, after?: Record<string, unknown>): Promise<Page<NotificationRecord>>;
}

/** The order -> user projection (for payment events that do not name the user). */
export interface OrderDirectory {
  remember(contact: OrderContact, at: string): Promise<void>;
  find(orderId: string): Promise<OrderContact | undefined>;
}

/** What a channel sends: the record carries the recipient and the rendered message. */
export type OutgoingMessage = Pick<NotificationRecord, 'notification_id' | 'channel' | 'type' | 'recipient' | 'subject' | 'body' | 'html' | 'order_id'>;

/** One channel's provider. Throws ChannelError (transient or not) when the provider does not take the message. */
export interface ChannelSender {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

export type Senders = Record<Channel, ChannelSender>;

/** Turns a device token into a push endpoint (SNS CreatePlatformEndpoint). */
export interface PushRegistry {
  register(token: string, userId: string): Promise<string>;
}

/** The service's metrics (Powertools EMF in Lambda). */
export interface NotificationMetrics {
  /** notifications_sent_total{type,status}: one notification ended, `type` its channel */
  sent(channel: Channel, status: 'sent' | 'failed'): void;
  /** notification_processing_duration_seconds{type}: one notification's delivery, retries included */
  processed(channel: Channel, seconds: number): void;
}
