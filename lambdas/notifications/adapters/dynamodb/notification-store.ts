/**
 * NotificationStore on DynamoDB: the history table (one item per notification) and the dedup
 * markers in the processed-events table.
 *
 * claimEvent is one TransactWriteItems: the marker `notifications-send#<event id>` (conditional
 * on its absence, listing the event's notification ids) and each pending record (conditional on
 * its absence). Either the event was new and all of it is written, or the marker was there and
 * nothing is: there is no moment at which an event is marked handled without its send records,
 * or has send records without its mark.
 */
import { TransactionCanceledException, type CancellationReason, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invalidCursorError } from '../../../shared/cursor';
import type { NotificationRecord } from '../../domain/notification';
import type { ClaimResult, Completion, HistoryFilter, NotificationStore, Page } from '../../domain/ports';
import { HISTORY_FILTERS, HISTORY_INDEXES, HISTORY_RETENTION_SECONDS, HISTORY_SORT, HISTORY_TTL, markerId, type HistoryIndex } from './history-schema';

/** The stored item: the record plus its index sort key and expiry. */
type Item = NotificationRecord & { [HISTORY_SORT]: string; [HISTORY_TTL]: number };

const FIELDS: Array<keyof NotificationRecord> = [
  'notification_id', 'channel', 'type', 'recipient', 'user_id', 'order_id', 'event_id', 'event_type', 'source', 'status',
  'subject', 'body', 'html', 'attempts', 'provider_message_id', 'error', 'created_at', 'updated_at', 'sent_at', 'failed_at', 'lease_until',
];

function toItem(r: NotificationRecord): Item {
  return { ...r, [HISTORY_SORT]: `${r.created_at}#${r.notification_id}`, [HISTORY_TTL]: Math.floor(Date.parse(r.created_at) / 1000) + HISTORY_RETENTION_SECONDS };
}

function toRecord(item: Record<string, unknown>): NotificationRecord {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as NotificationRecord;
}

const MAX_ATTEMPTS = 6;
const MAX_QUERIES_PER_PAGE = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reasons(err: unknown): CancellationReason[] | undefined {
  return err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : undefined;
}

export class DynamoDbNotificationStore implements NotificationStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly historyTable: string,
    private readonly markersTable: string,
    client: DynamoDBClient,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async claimEvent(eventId: string, records: NotificationRecord[], markerExpiresAt: number): Promise<ClaimResult> {
    const ids = records.map((r) => r.notification_id);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.markersTable,
                  Item: { id: markerId(eventId), notification_ids: ids, expiration: markerExpiresAt, created_at: records[0]?.created_at },
                  ConditionExpression: 'attribute_not_exists(id)',
                },
              },
              ...records.map((r) => ({ Put: { TableName: this.historyTable, Item: toItem(r), ConditionExpression: 'attribute_not_exists(notification_id)' } })),
            ],
          }),
        );
        return { claimed: true };
      } catch (err) {
        const why = reasons(err);
        if (!why) throw err;
        if (why.some((r) => r.Code === 'ConditionalCheckFailed')) {
          const marker = await this.doc.send(new GetCommand({ TableName: this.markersTable, Key: { id: markerId(eventId) }, ConsistentRead: true }));
          // a marker past its TTL may be gone while its records remain: those records are the claim
          return { claimed: false, notificationIds: (marker.Item?.notification_ids as string[] | undefined) ?? ids };
        }
        if (attempt + 1 >= MAX_ATTEMPTS) throw err;
        await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt)); // TransactionConflict: another writer on these keys
      }
    }
  }

  async create(record: NotificationRecord): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.historyTable, Item: toItem(record), ConditionExpression: 'attribute_not_exists(notification_id)' }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async get(notificationId: string): Promise<NotificationRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.historyTable, Key: { notification_id: notificationId }, ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async retake(notificationId: string, now: string, leaseUntil: string): Promise<NotificationRecord | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.historyTable,
          Key: { notification_id: notificationId },
          UpdateExpression: 'SET lease_until = :lease, updated_at = :now',
          ConditionExpression: '#status = :pending AND (attribute_not_exists(lease_until) OR lease_until < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lease': leaseUntil, ':now': now, ':pending': 'pending' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(out.Attributes!);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  async complete(notificationId: string, c: Completion): Promise<NotificationRecord | undefined> {
    const sent = c.status === 'sent';
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.historyTable,
          Key: { notification_id: notificationId },
          UpdateExpression: sent
            ? 'SET #status = :status, attempts = :attempts, updated_at = :at, sent_at = :at, provider_message_id = :detail REMOVE lease_until'
            : 'SET #status = :status, attempts = :attempts, updated_at = :at, failed_at = :at, #error = :detail REMOVE lease_until',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', ...(sent ? {} : { '#error': 'error' }) },
          ExpressionAttributeValues: { ':status': c.status, ':attempts': c.attempts, ':at': c.at, ':detail': sent ? c.provider_message_id : c.error, ':pending': 'pending' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(out.Attributes!);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return this.get(notificationId); // ended before: left as it is
      throw err;
    }
  }

  async query(filter: HistoryFilter, limit: number, after?: Record<string, unknown>): Promise<Page<NotificationRecord>> {
    const index = HISTORY_INDEXES.find((i) => filter[i.partition] !== undefined);
    if (!index) throw new Error('a history query needs a filter');
    let start = this.startKey(index, after);
    const rest = HISTORY_FILTERS.filter((f) => f !== index.partition && filter[f] !== undefined);
    const names: Record<string, string> = { '#pk': index.partition };
    const values: Record<string, unknown> = { ':pk': filter[index.partition] };
    rest.forEach((f, n) => {
      names[`#f${n}`] = f;
      values[`:f${n}`] = filter[f];
    });
    const items: NotificationRecord[] = [];
    for (let q = 0; q < MAX_QUERIES_PER_PAGE; q++) {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.historyTable,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: rest.length ? rest.map((_, n) => `#f${n} = :f${n}`).join(' AND ') : undefined,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []).map(toRecord));
      start = out.LastEvaluatedKey;
      if (!start || items.length >= limit) break;
    }
    return { items, next: start ? { i: index.name, k: start } : undefined };
  }

  /** The position a cursor carries, checked against the index this query reads (a cursor of another query is a 400). */
  private startKey(index: HistoryIndex, after: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (!after) return undefined;
    const key = after.k as Record<string, unknown> | undefined;
    const wanted = ['notification_id', HISTORY_SORT, index.partition];
    const ok =
      after.i === index.name &&
      key !== null &&
      typeof key === 'object' &&
      Object.keys(key).length === wanted.length &&
      wanted.every((k) => typeof key[k] === 'string' || typeof key[k] === 'number');
    if (!ok) throw invalidCursorError('the cursor belongs to another query');
    return key;
  }
}
