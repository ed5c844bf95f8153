/**
 * Notifications' DynamoDB store against the deployed tables (DynamoDB Local through the edge):
 * the claim of an event is all or nothing, retake and completion are conditional, and the
 * history reads newest first from the index of the most selective filter, with cursors.
 */
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbNotificationStore } from '../../../lambdas/notifications/adapters/dynamodb/notification-store';
import { markerId } from '../../../lambdas/notifications/adapters/dynamodb/history-schema';
import { eventNotificationId, type NotificationRecord } from '../../../lambdas/notifications/domain/notification';
import type { Channel } from '../../../lambdas/notifications/domain/channels';
import { awsClientConfig, uniqueId } from '../../support/local-cloud';

const db = new DynamoDBClient(awsClientConfig());
let store: DynamoDbNotificationStore;
let markers: string;

beforeAll(async () => {
  const tables = (await db.send(new ListTablesCommand({}))).TableNames ?? [];
  const named = (part: string) => tables.find((t) => t.includes(part))!;
  markers = named('ProcessedEventsTable');
  store = new DynamoDbNotificationStore(named('NotificationsTable'), markers, db);
});

function record(eventId: string, channel: Channel, over: Partial<NotificationRecord> = {}): NotificationRecord {
  const at = '2026-11-25T10:00:00.000Z';
  return {
    notification_id: eventNotificationId(eventId, channel),
    channel,
    type: 'order_confirmed',
    recipient: channel === 'email' ? 'a@example.com' : '+15555550100',
    user_id: 'u',
    order_id: 'o',
    event_id: eventId,
    source: 'event',
    status: 'pending',
    body: 'b',
    attempts: 0,
    created_at: at,
    updated_at: at,
    lease_until: '2026-11-25T10:01:30.000Z',
    ...over,
  };
}

const markerOf = async (eventId: string) => (await db.send(new GetItemCommand({ TableName: markers, Key: { id: { S: markerId(eventId) } }, ConsistentRead: true }))).Item;

describe('claiming an event', () => {
  it('writes the marker and every pending record, once; a second claim writes nothing and names the first claim\'s records', async () => {
    const ev = uniqueId('ev');
    const records = [record(ev, 'email'), record(ev, 'sms')];
    expect(await store.claimEvent(ev, records, 2_000_000_000)).toEqual({ claimed: true });
    expect((await markerOf(ev))?.notification_ids?.L?.map((v) => v.S)).toEqual(records.map((r) => r.notification_id));
    expect(await store.get(records[0]!.notification_id)).toEqual(records[0]);

    const changed = [record(ev, 'email', { body: 'other' }), record(ev, 'push')];
    expect(await store.claimEvent(ev, changed, 2_000_000_000)).toEqual({ claimed: false, notificationIds: records.map((r) => r.notification_id) });
    expect((await store.get(records[0]!.notification_id))?.body).toBe('b');
    expect(await store.get(changed[1]!.notification_id)).toBeUndefined();
  });

  it('is all or nothing: when one record cannot be written, neither the marker nor the others are', async () => {
    const ev = uniqueId('ev');
    expect(await store.create(record(ev, 'sms', { source: 'api' }))).toBe(true);
    const r = await store.claimEvent(ev, [record(ev, 'email'), record(ev, 'sms')], 2_000_000_000);
    expect(r).toEqual({ claimed: false, notificationIds: [eventNotificationId(ev, 'email'), eventNotificationId(ev, 'sms')] });
    expect(await markerOf(ev)).toBeUndefined();
    expect(await store.get(eventNotificationId(ev, 'email'))).toBeUndefined();
  });
});

describe('retake and completion', () => {
  it('takes over only a pending record whose lease ended, and ends a record once', async () => {
    const ev = uniqueId('ev');
    const r = record(ev, 'email');
    await store.claimEvent(ev, [r], 2_000_000_000);
    expect(await store.retake(r.notification_id, '2026-11-25T10:01:00.000Z', '2026-11-25T10:02:30.000Z')).toBeUndefined();
    expect(await store.retake(r.notification_id, '2026-11-25T10:02:00.000Z', '2026-11-25T10:03:30.000Z')).toMatchObject({ status: 'pending', lease_until: '2026-11-25T10:03:30.000Z' });
    const sent = await store.complete(r.notification_id, { status: 'sent', provider_message_id: 'm-1', attempts: 2, at: '2026-11-25T10:02:01.000Z' });
    expect(sent).toMatchObject({ status: 'sent', provider_message_id: 'm-1', attempts: 2, sent_at: '2026-11-25T10:02:01.000Z' });
    expect(sent?.lease_until).toBeUndefined();
    const late = await store.complete(r.notification_id, { status: 'failed', error: { code: 'X', message: 'x' }, attempts: 3, at: '2026-11-25T10:09:00.000Z' });
    expect(late).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await store.retake(r.notification_id, '2026-11-26T00:00:00.000Z', '2026-11-26T00:01:30.000Z')).toBeUndefined();
  });
});

describe('the history', () => {
  it('reads newest first by the most selective filter, filters the rest, and pages with cursors of its own query only', async () => {
    const user = uniqueId('u');
    const order = uniqueId('o');
    const at = (s: number) => `2026-11-25T10:00:${String(s).padStart(2, '0')}.000Z`;
    const rows = [
      { id: 'a', channel: 'email', status: 'sent', order, s: 1 },
      { id: 'b', channel: 'sms', status: 'failed', order, s: 2 },
      { id: 'c', channel: 'push', status: 'sent', order: uniqueId('o'), s: 3 },
      { id: 'd', channel: 'sms', status: 'sent', order, s: 4 },
      { id: 'e', channel: 'email', status: 'sent', order, s: 5 },
    ] as const;
    for (const r of rows) {
      await store.create({ ...record(`${user}-${r.id}`, r.channel, { user_id: user, order_id: r.order, status: r.status, created_at: at(r.s), updated_at: at(r.s) }), lease_until: undefined });
    }
    const ids = (items: NotificationRecord[]) => items.map((i) => rows.find((r) => eventNotificationId(`${user}-${r.id}`, r.channel) === i.notification_id)!.id);

    expect(ids((await store.query({ user_id: user }, 10)).items)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(ids((await store.query({ order_id: order, channel: 'sms' }, 10)).items)).toEqual(['d', 'b']);
    expect(ids((await store.query({ user_id: user, status: 'sent', channel: 'email' }, 10)).items)).toEqual(['e', 'a']);

    const first = await store.query({ user_id: user, status: 'sent' }, 2);
    expect(ids(first.items)).toEqual(['e', 'd']);
    const second = await store.query({ user_id: user, status: 'sent' }, 2, first.next);
    expect(ids(second.items)).toEqual(['c', 'a']);
    const last = second.next ? await store.query({ user_id: user, status: 'sent' }, 2, second.next) : { items: [], next: undefined };
    expect(last).toEqual({ items: [], next: undefined });
    await expect(store.query({ status: 'sent' }, 2, first.next)).rejects.toMatchObject({ statusCode: 400, details: [{ field: 'cursor' }] });
    await expect(store.query({ user_id: user }, 2, { i: 'by_user', k: { user_id: 'x' } })).rejects.toMatchObject({ statusCode: 400 });
  });
});
