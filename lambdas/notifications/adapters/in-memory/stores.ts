/**
 * The stores in memory, with the DynamoDB adapters' semantics (an event's marker and records
 * written together or not at all; conditional retake and completion; newest-first history with
 * the same index choice and cursors). The reference behaviour for the use cases' unit tests.
 */
import { invalidCursorError } from '../../../shared/cursor';
import type { OrderContact } from '../../domain/events';
import type { NotificationRecord } from '../../domain/notification';
import type { ClaimResult, Completion, HistoryFilter, NotificationStore, OrderDirectory, Page, PreferencesStore } from '../../domain/ports';
import type { Preferences } from '../../domain/preferences';
import { HISTORY_FILTERS, HISTORY_INDEXES } from '../dynamodb/history-schema';

const clone = <T>(v: T): T => structuredClone(v);

export class InMemoryPreferencesStore implements PreferencesStore {
  readonly items = new Map<string, Preferences>();

  async get(userId: string): Promise<Preferences | undefined> {
    const p = this.items.get(userId);
    return p && clone(p);
  }

  async put(preferences: Preferences): Promise<void> {
    this.items.set(preferences.user_id, clone(preferences));
  }

  async ping(): Promise<void> {}
}

export class InMemoryNotificationStore implements NotificationStore {
  readonly records = new Map<string, NotificationRecord>();
  readonly markers = new Map<string, string[]>();

  async claimEvent(eventId: string, records: NotificationRecord[]): Promise<ClaimResult> {
    const marker = this.markers.get(eventId);
    if (marker) return { claimed: false, notificationIds: [...marker] };
    if (records.some((r) => this.records.has(r.notification_id))) return { claimed: false, notificationIds: records.map((r) => r.notification_id) };
    this.markers.set(eventId, records.map((r) => r.notification_id));
    for (const r of records) this.records.set(r.notification_id, clone(r));
    return { claimed: true };
  }

  async create(record: NotificationRecord): Promise<boolean> {
    if (this.records.has(record.notification_id)) return false;
    this.records.set(record.notification_id, clone(record));
    return true;
  }

  async get(notificationId: string): Promise<NotificationRecord | undefined> {
    const r = this.records.get(notificationId);
    return r && clone(r);
  }

  async retake(notificationId: string, now: string, leaseUntil: string): Promise<NotificationRecord | undefined> {
    const r = this.records.get(notificationId);
    if (!r || r.status !== 'pending' || (r.lease_until !== undefined && r.lease_until >= now)) return undefined;
    Object.assign(r, { lease_until: leaseUntil, updated_at: now });
    return clone(r);
  }

  async complete(notificationId: string, c: Completion): Promise<NotificationRecord | undefined> {
    const r = this.records.get(notificationId);
    if (!r) return undefined;
    if (r.status !== 'pending') return clone(r);
    delete r.lease_until;
    if (c.status === 'sent') Object.assign(r, { status: 'sent', attempts: c.attempts, updated_at: c.at, sent_at: c.at, provider_message_id: c.provider_message_id });
    else Object.assign(r, { status: 'failed', attempts: c.attempts, updated_at: c.at, failed_at: c.at, error: c.error });
    return clone(r);
  }

  async query(filter: HistoryFilter, limit: number, after?: Record<string, unknown>): Promise<Page<NotificationRecord>> {
    const index = HISTORY_INDEXES.find((i) => filter[i.partition] !== undefined);
    if (!index) throw new Error('a history query needs a filter');
    if (after && (after.i !== index.name || typeof after.k !== 'string')) throw invalidCursorError('the cursor belongs to another query');
    const key = (r: NotificationRecord) => `${r.created_at}#${r.notification_id}`;
    const matching = [...this.records.values()]
      .filter((r) => HISTORY_FILTERS.every((f) => filter[f] === undefined || r[f] === filter[f]))
      .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))
      .filter((r) => !after || key(r) < (after.k as string));
    const items = matching.slice(0, limit).map(clone);
    return { items, next: matching.length > limit ? { i: index.name, k: key(items[items.length - 1]!) } : undefined };
  }
}

export class InMemoryOrderDirectory implements OrderDirectory {
  readonly orders = new Map<string, OrderContact>();

  async remember(contact: OrderContact): Promise<void> {
    this.orders.set(contact.order_id, clone(contact));
  }

  async find(orderId: string): Promise<OrderContact | undefined> {
    const c = this.orders.get(orderId);
    return c && clone(c);
  }
}
