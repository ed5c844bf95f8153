/**
 * StockRepository on DynamoDB. Every multi-item change is one TransactWriteItems whose
 * conditions carry the domain's invariants (stock never below zero, a reservation moves out of
 * RESERVED once), so concurrent callers and retries cannot break them. Transactions that lose
 * a race (TransactionConflict) are retried with jittered backoff.
 */
import { DynamoDBClient, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { invalidCursorError } from '../../../shared/cursor';
import type { ErrorDetail } from '../../../shared/errors';
import { outboxPut } from '../../../shared/events/outbox';
import { InsufficientStockError, ReservationStateError, StockContentionError, UnknownProductError } from '../../domain/errors';
import { reservationEvent, restockedEvent } from '../../domain/events';
import type { Page, ReservationResult, StockRepository } from '../../domain/ports';
import {
  DEFAULT_LOW_STOCK_THRESHOLD,
  normalizeLines,
  restockItem,
  sameLines,
  transition,
  type Reservation,
  type ReservationAction,
  type ReservationLine,
  type StockItem,
} from '../../domain/stock';
import { reservationRecord, toReservation, toStock, type ReservationRecord, type StockRecord } from './stock-records';

const MAX_ATTEMPTS = 12;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));

function reasons(err: unknown): CancellationReason[] | undefined {
  return err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : undefined;
}

export class DynamoDbStockRepository implements StockRepository {
  private readonly doc: DynamoDBDocumentClient;

  /**
   * @param outboxTable every change writes its event here in the same transaction; omit only
   *   where no event is wanted (tests of the bare store)
   */
  constructor(
    private readonly stockTable: string,
    private readonly reservationsTable: string,
    client: DynamoDBClient = new DynamoDBClient({}),
    private readonly outboxTable?: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.stockTable, Key: { product_id: '__health__' } }));
  }

  async get(productId: string): Promise<StockItem | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.stockTable, Key: { product_id: productId }, ConsistentRead: true }));
    return out.Item ? toStock(out.Item as StockRecord) : undefined;
  }

  async list(limit: number, after?: Record<string, unknown>): Promise<Page<StockItem>> {
    if (after && (typeof after.product_id !== 'string' || Object.keys(after).length !== 1)) {
      throw invalidCursorError();
    }
    const out = await this.doc.send(new ScanCommand({ TableName: this.stockTable, Limit: limit, ExclusiveStartKey: after }));
    return { items: (out.Items ?? []).map((i) => toStock(i as StockRecord)), next: out.LastEvaluatedKey };
  }

  async restock(productId: string, quantity: number, at: string, reason?: string): Promise<StockItem> {
    return (await this.applyRestock(productId, quantity, at, reason)).item;
  }

  /**
   * The restock and its announcement in the outbox are one transaction; the announcement's id
   * is derived from the cause, and the outbox refuses an id it holds (kept a week, as long as
   * consumers remember handled events), so the same cause cannot restock twice: a replay's
   * transaction is cancelled whole.
   */
  async restockFor(causeId: string, productId: string, quantity: number, at: string, reason?: string): Promise<{ item: StockItem; changed: boolean }> {
    if (!this.outboxTable) throw new Error('restockFor needs the outbox table: it records the cause in the same transaction');
    return this.applyRestock(productId, quantity, at, reason, causeId);
  }

  private async applyRestock(productId: string, quantity: number, at: string, reason?: string, causeId?: string): Promise<{ item: StockItem; changed: boolean }> {
    restockItem(undefined, productId, quantity, at); // validates the quantity with the domain's rule
    const update = {
      TableName: this.stockTable,
      Key: { product_id: productId },
      UpdateExpression:
        'SET available = if_not_exists(available, :zero) + :q, reserved = if_not_exists(reserved, :zero), ' +
        'version = if_not_exists(version, :zero) + :one, low_stock_threshold = if_not_exists(low_stock_threshold, :lst), ' +
        'created_at = if_not_exists(created_at, :at), updated_at = :at',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':q': quantity, ':lst': DEFAULT_LOW_STOCK_THRESHOLD, ':at': at },
    };
    if (!this.outboxTable) {
      const out = await this.doc.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return { item: toStock(out.Attributes as StockRecord), changed: true };
    }
    // one event for every attempt: a retried transaction announces the same restock, once
    const event = restockedEvent(productId, quantity, at, reason, causeId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, this.outbox(event)] }));
        return { item: (await this.get(productId))!, changed: true };
      } catch (err) {
        const why = reasons(err);
        // the outbox already holds this cause's announcement: applied before, nothing changes
        if (causeId !== undefined && why?.[1]?.Code === 'ConditionalCheckFailed') return { item: (await this.get(productId))!, changed: false };
        if (!why || !why.some((r) => r.Code === 'TransactionConflict')) throw err;
        await backoff(attempt); // another transaction on this product won this round (as reserve does)
      }
    }
    throw new StockContentionError('too much contention on this product; retry');
  }

  private outbox(event: Parameters<typeof outboxPut>[1]) {
    return outboxPut(this.outboxTable!, event);
  }

  /** The outbox entry of a reservation change, or nothing when this store has no outbox. */
  private reservationOutbox(r: Reservation, action: ReservationAction) {
    return this.outboxTable ? [this.outbox(reservationEvent(r, action))] : [];
  }

  async getReservation(reservationId: string): Promise<Reservation | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.reservationsTable, Key: { reservation_id: reservationId }, ConsistentRead: true }),
    );
    return out.Item ? toReservation(out.Item as ReservationRecord) : undefined;
  }

  async reserve(reservationId: string, rawLines: ReservationLine[], at: string): Promise<ReservationResult> {
    const lines = normalizeLines(rawLines);
    const reservation: Reservation = { reservationId, status: 'RESERVED', lines, createdAt: at, updatedAt: at };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.reservationsTable,
                  Item: reservationRecord(reservation),
                  ConditionExpression: 'attribute_not_exists(reservation_id)',
                },
              },
              ...lines.map((line) => ({
                Update: {
                  TableName: this.stockTable,
                  Key: { product_id: line.productId },
                  ConditionExpression: 'attribute_exists(product_id) AND available >= :q',
                  UpdateExpression: 'SET available = available - :q, reserved = reserved + :q, version = version + :one, updated_at = :at',
                  ExpressionAttributeValues: { ':q': line.quantity, ':one': 1, ':at': at },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
                },
              })),
              ...this.reservationOutbox(reservation, 'reserve'),
            ],
          }),
        );
        return { reservation, changed: true };
      } catch (err) {
        const why = reasons(err);
        if (!why) throw err;
        if (why[0]?.Code === 'ConditionalCheckFailed') {
          const existing = await this.getReservation(reservationId);
          if (!existing) continue; // it vanished between the two calls; try again
          transition(existing.status, 'reserve'); // throws for a released or committed reservation
          if (!sameLines(existing.lines, lines)) {
            throw new ReservationStateError('reservation already exists with other lines', [{ field: 'items', message: 'differs from the first request' }]);
          }
          return { reservation: existing, changed: false };
        }
        const failed = lines.flatMap((line, i) => (why[i + 1]?.Code === 'ConditionalCheckFailed' ? [{ line, reason: why[i + 1] }] : []));
        if (failed.length === 0) {
          await backoff(attempt); // TransactionConflict or throttling: someone else won this round
          continue;
        }
        throw await this.stockShortage(failed);
      }
    }
    throw new StockContentionError('too much contention on these products; retry');
  }

  release(reservationId: string, at: string): Promise<ReservationResult> {
    return this.close(reservationId, 'release', at);
  }

  commit(reservationId: string, at: string): Promise<ReservationResult> {
    return this.close(reservationId, 'commit', at);
  }

  /** Moves a reservation out of RESERVED, giving its stock back (release) or letting it go (commit). */
  private async close(reservationId: string, action: Exclude<ReservationAction, 'reserve'>, at: string): Promise<ReservationResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.getReservation(reservationId);
      const step = transition(existing?.status, action);
      if (step.kind === 'noop') return { reservation: existing!, changed: false };
      try {
        if (!existing) {
          // release of a reservation never made: leave a tombstone so a late reserve is refused
          const tombstone: Reservation = { reservationId, status: 'RELEASED', lines: [], createdAt: at, updatedAt: at };
          await this.doc.send(
            new PutCommand({
              TableName: this.reservationsTable,
              Item: reservationRecord(tombstone),
              ConditionExpression: 'attribute_not_exists(reservation_id)',
            }),
          );
          return { reservation: tombstone, changed: true }; // nothing moved, so nothing to announce
        }
        const stockUpdate =
          action === 'release'
            ? 'SET available = available + :q, reserved = reserved - :q, version = version + :one, updated_at = :at'
            : 'SET reserved = reserved - :q, version = version + :one, updated_at = :at';
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.reservationsTable,
                  Key: { reservation_id: reservationId },
                  ConditionExpression: '#s = :reserved',
                  UpdateExpression: 'SET #s = :next, updated_at = :at',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':reserved': 'RESERVED', ':next': step.next, ':at': at },
                },
              },
              ...existing.lines.map((line) => ({
                Update: {
                  TableName: this.stockTable,
                  Key: { product_id: line.productId },
                  ConditionExpression: 'reserved >= :q',
                  UpdateExpression: stockUpdate,
                  ExpressionAttributeValues: { ':q': line.quantity, ':one': 1, ':at': at },
                },
              })),
              ...this.reservationOutbox({ ...existing, status: step.next, updatedAt: at }, action),
            ],
          }),
        );
        return { reservation: { ...existing, status: step.next, updatedAt: at }, changed: true };
      } catch (err) {
        const why = reasons(err);
        const conditionFailed = (err as { name?: string }).name === 'ConditionalCheckFailedException';
        if (!why && !conditionFailed) throw err;
        // The reservation's own condition first: when it failed, someone (a concurrent retry of
        // this very step, say) moved the reservation; its stock conditions may fail for the same
        // reason. Read again and decide again: a repeat of the same step is then a no-op.
        const reservationMoved = conditionFailed || why?.[0]?.Code === 'ConditionalCheckFailed';
        if (!reservationMoved && why && why.slice(1, 1 + existing!.lines.length).some((r) => r.Code === 'ConditionalCheckFailed')) {
          throw new ReservationStateError('stock record no longer holds this reservation', [{ message: 'reserved quantity below the reservation' }]);
        }
        await backoff(attempt); // state moved under us or a conflict: read again and decide again
      }
    }
    throw new StockContentionError('too much contention on this reservation; retry');
  }

  private async stockShortage(failed: Array<{ line: ReservationLine; reason: CancellationReason }>): Promise<Error> {
    const unknown: ErrorDetail[] = [];
    const short: ErrorDetail[] = [];
    for (const { line, reason } of failed) {
      const item = reason.Item ? (unmarshall(reason.Item) as StockRecord) : undefined;
      const current = item ?? (await this.get(line.productId).then((s) => (s ? { available: s.available } : undefined)));
      if (!current) unknown.push({ field: 'items', product_id: line.productId, message: 'no stock record for this product' });
      else short.push({ field: 'items', product_id: line.productId, requested: line.quantity, available: current.available, message: 'not enough stock' });
    }
    return unknown.length ? new UnknownProductError([...unknown, ...short]) : new InsufficientStockError(short);
  }
}
