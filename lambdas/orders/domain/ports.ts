/**
 * The ports through which the Orders use cases reach the outside: the event store (each order's
 * log with its read model and outbox, written together), the price list (Orders' projection of
 * the catalog), and the saga's executions on Step Functions.
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { NewOrderEvent, OrderEvent } from './events';
import type { Order, OrderStatus, OrderView } from './order';
import type { PriceEntry } from './pricing';
import type { ExecutionInfo } from './reconcile';
import type { SagaHistoryEvent, SagaInput } from './saga';

export interface Page<T> {
  items: T[];
  /** opaque position of the next page, absent on the last page */
  next?: Record<string, unknown>;
}

/** An order that is not at an end, as the open-orders index lists it. */
export interface OpenOrder {
  orderId: string;
  status: OrderStatus;
  placedAt: string;
  updatedAt: string;
}

export interface OrderEventStore {
  /** The order's log, oldest first (strongly consistent). */
  load(orderId: string): Promise<OrderEvent[]>;
  /**
   * Appends `events` after `expectedVersion` (their seqs are expectedVersion + 1, + 2, ...) in one
   * transaction with the read model of `state` (the fold after them) and the `outbox` events.
   * Throws ConcurrentAppendError when the log is no longer at `expectedVersion`.
   */
  append(orderId: string, expectedVersion: number, events: NewOrderEvent[], state: Order, outbox: EventEnvelope[]): Promise<void>;
  /** The read model of one order. */
  getOrder(orderId: string): Promise<OrderView | undefined>;
  /** A user's orders, newest first. */
  listByUser(userId: string, limit: number, after?: Record<string, unknown>): Promise<Page<OrderView>>;
  /** Up to `limit` orders not at an end (and not parked) placed before `placedBefore`, oldest first. */
  openOrders(placedBefore: string, limit: number): Promise<Page<OpenOrder>>;
  /**
   * Takes an open order out of `openOrders` for an operator (the reconciler gave up on it),
   * unless it moved on since `version`; its next event brings it back. Resolves whether it did.
   */
  park(orderId: string, version: number, why: string, at: string): Promise<boolean>;
  /** How many orders are not at an end. */
  countOpen(): Promise<number>;
  ping(): Promise<void>;
}

export type PriceWrite = 'applied' | 'stale';

export interface PriceStore {
  /** The entries of these products (strongly consistent); products without one are absent. */
  getMany(productIds: readonly string[]): Promise<Map<string, PriceEntry>>;
  /** Stores the entry unless the store holds the same or a newer version. */
  put(entry: PriceEntry): Promise<PriceWrite>;
}

export interface StartResult {
  executionArn: string;
  /** false: an execution of this name already existed (the order's saga had started) */
  started: boolean;
}

export interface SagaExecutions {
  executionArn(name: string): string;
  /** `traceHeader`: the X-Ray trace the execution continues (the placing request's), else the caller's */
  start(name: string, input: SagaInput, traceHeader?: string): Promise<StartResult>;
  /** undefined when no execution of that name exists */
  describe(name: string): Promise<ExecutionInfo | undefined>;
  history(name: string): Promise<SagaHistoryEvent[]>;
  redrive(name: string): Promise<void>;
}
