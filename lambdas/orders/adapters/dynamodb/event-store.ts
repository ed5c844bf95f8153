/**
 * The event store on DynamoDB. Three tables take part in every append, in one TransactWriteItems:
 *
 * - `orderEvents` (order_id, seq): the log. Each event is a Put conditioned on
 *   `attribute_not_exists(seq)`: no two events at one position.
 * - `orders` (order_id): the read model, the fold's summary (the order's view, `version` = the
 *   last seq). Its Put is conditioned on `version = <the version the writer read>` (or on the
 *   order not existing, for the first event): the event's seq is always version + 1, so the log
 *   can have no gap, and a writer that read an older version loses (ConcurrentAppendError; the
 *   use case reads again and decides again). Its GSIs: `by_user` (user_id, placed_at) lists a
 *   user's orders; `open_orders` (open_shard, placed_at) is sparse, holding only orders not at
 *   an end, for the reconciler (the attribute is dropped when the order ends, or when the
 *   reconciler parks an order for an operator). Four shards spread its writes.
 * - `outbox` (event_id): the events other services consume, conditioned on a new event id.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { invalidCursorError } from '../../../shared/cursor';
import { currentTraceHeader } from '../../../shared/env';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { outboxPut } from '../../../shared/events/outbox';
import { ConcurrentAppendError } from '../../domain/errors';
import type { NewOrderEvent, OrderEvent } from '../../domain/events';
import { isEnded, orderView, type Order, type OrderStatus, type OrderView } from '../../domain/order';
import type { OpenOrder, OrderEventStore, Page } from '../../domain/ports';

export const BY_USER_INDEX = 'by_user';
export const OPEN_ORDERS_INDEX = 'open_orders';
export const OPEN_SHARDS = 4;

export interface OrderEventStoreTables {
  orderEvents: string;
  orders: string;
  outbox: string;
}

/** The stored event: the domain event with its order id. */
interface EventItem {
  order_id: string;
  seq: number;
  type: string;
  key: string;
  at: string;
  correlation_id?: string;
  /** the X-Ray trace header of the invocation that appended it: the saga of an OrderPlaced continues that trace */
  trace?: string;
  data: unknown;
}

/** The stored read model: the view, plus the sparse index's key while the order is open. */
type OrderItem = OrderView & { open_shard?: string; parked?: { at: string; why: string } };

export const openShard = (orderId: string): string => `open#${createHash('sha1').update(orderId).digest()[0]! % OPEN_SHARDS}`;

export function readModelItem(state: Order): OrderItem {
  const item: OrderItem = orderView(state);
  if (!isEnded(state.status)) item.open_shard = openShard(state.orderId);
  return item;
}

function viewOf(item: Record<string, unknown>): OrderView {
  const { open_shard: _s, parked: _p, ...view } = item as unknown as OrderItem;
  return view;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export class DynamoDbOrderEventStore implements OrderEventStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tables: OrderEventStoreTables,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async load(orderId: string): Promise<OrderEvent[]> {
    const events: OrderEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.orderEvents,
          KeyConditionExpression: 'order_id = :o',
          ExpressionAttributeValues: { ':o': orderId },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const i of (out.Items ?? []) as EventItem[]) {
        events.push({ type: i.type, seq: i.seq, key: i.key, at: i.at, correlation_id: i.correlation_id, data: i.data } as OrderEvent);
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return events;
  }

  async append(orderId: string, expectedVersion: number, events: NewOrderEvent[], state: Order, outbox: EventEnvelope[]): Promise<void> {
    const trace = currentTraceHeader();
    const eventPuts = events.map((e, i) => ({
      Put: {
        TableName: this.tables.orderEvents,
        Item: { order_id: orderId, seq: expectedVersion + i + 1, type: e.type, key: e.key, at: e.at, correlation_id: e.correlation_id, ...(trace ? { trace } : {}), data: e.data } satisfies EventItem,
        ConditionExpression: 'attribute_not_exists(seq)',
      },
    }));
    const readModel = {
      Put: {
        TableName: this.tables.orders,
        Item: readModelItem(state),
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(order_id)' }
          : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [...eventPuts, readModel, ...outbox.map((e) => outboxPut(this.tables.outbox, e))] }));
    } catch (err) {
      // A lost condition, or a transaction racing another on the same items: the log moved on.
      const conflict =
        (err instanceof TransactionCanceledException &&
          (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) ||
        (err as Error).name === 'TransactionConflictException';
      if (conflict) throw new ConcurrentAppendError(orderId, expectedVersion);
      throw err;
    }
  }

  async getOrder(orderId: string): Promise<OrderView | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tables.orders, Key: { order_id: orderId }, ConsistentRead: true }));
    return out.Item ? viewOf(out.Item) : undefined;
  }

  async listByUser(userId: string, limit: number, after?: Record<string, unknown>): Promise<Page<OrderView>> {
    if (after) {
      const keys = Object.keys(after).sort().join(',');
      if (keys !== 'order_id,placed_at,user_id' || !isString(after.order_id) || !isString(after.placed_at) || after.user_id !== userId) {
        throw invalidCursorError("not a cursor of this user's orders");
      }
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.orders,
        IndexName: BY_USER_INDEX,
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': userId },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    return { items: (out.Items ?? []).map(viewOf), next: out.LastEvaluatedKey };
  }

  async openOrders(placedBefore: string, limit: number): Promise<Page<OpenOrder>> {
    const perShard = await Promise.all(
      Array.from({ length: OPEN_SHARDS }, async (_, shard) => {
        const found: OpenOrder[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.doc.send(
            new QueryCommand({
              TableName: this.tables.orders,
              IndexName: OPEN_ORDERS_INDEX,
              KeyConditionExpression: 'open_shard = :s AND placed_at < :before',
              ExpressionAttributeValues: { ':s': `open#${shard}`, ':before': placedBefore },
              ScanIndexForward: true,
              Limit: limit - found.length,
              ExclusiveStartKey: start,
            }),
          );
          for (const i of out.Items ?? []) {
            found.push({ orderId: i.order_id as string, status: i.status as OrderStatus, placedAt: i.placed_at as string, updatedAt: i.updated_at as string });
          }
          start = out.LastEvaluatedKey;
        } while (start && found.length < limit);
        return found;
      }),
    );
    return { items: perShard.flat().sort((a, b) => a.placedAt.localeCompare(b.placedAt)).slice(0, limit) };
  }

  async countOpen(): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: OPEN_SHARDS }, async (_, shard) => {
        let n = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const input: QueryCommandInput = {
            TableName: this.tables.orders,
            IndexName: OPEN_ORDERS_INDEX,
            KeyConditionExpression: 'open_shard = :s',
            ExpressionAttributeValues: { ':s': `open#${shard}` },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          };
          const out = await this.doc.send(new QueryCommand(input));
          n += out.Count ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
        return n;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Takes an open order out of the reconciler's index for an operator (the reconciler gave up on
   * it), unless the order moved on since `version`; the next append puts it back if it is open.
   */
  async park(orderId: string, version: number, why: string, at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.orders,
          Key: { order_id: orderId },
          UpdateExpression: 'REMOVE open_shard SET parked = :p',
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': version, ':p': { at, why } },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.tables.orders, Key: { order_id: '__health__' } }));
  }
}
