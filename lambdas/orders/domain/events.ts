/**
 * The order's own events: what each order's append-only log holds (the `orderEvents` table, one
 * item per event, keyed by order id and sequence number). The saga's transitions are events
 * here too, so the log alone tells what happened to an order; its state is their fold
 * (./order.ts). Names are the contract of the log (and of the saga starter's stream filter).
 *
 * Each event has an idempotency `key`: a second event with a key already in the log is not
 * appended (the saga's retried records). An event that happens once per order has its type as
 * key; `SagaStepFailed` has one per failed step (`SagaStepFailed#payment`), since a reconciled
 * order may fail a second, different step.
 */
import type { StepFault } from '../../shared/task';

export const ORDER_EVENT_TYPES = [
  'OrderPlaced',
  'InventoryReserved',
  'PaymentCaptured',
  'OrderConfirmed',
  'InventoryCommitted',
  'SagaStepFailed',
  'PaymentRefunded',
  'InventoryReleased',
  'OrderCancelled',
] as const;

export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/** The event types the saga's `record` action appends (the others have their own actions). */
export const RECORDED_EVENT_TYPES = ['InventoryReserved', 'PaymentCaptured', 'InventoryCommitted', 'SagaStepFailed', 'PaymentRefunded', 'InventoryReleased'] as const;
export type RecordedEventType = (typeof RECORDED_EVENT_TYPES)[number];

/** How the customer pays: a card (the simulator's test cards) or a provider's token. */
export type PaymentMethod = { card_number: string; exp_month?: number; exp_year?: number; cvc?: string; holder_name?: string } | { token: string };

export interface OrderLine {
  product_id: string;
  /** the catalog's name when the order was placed */
  name: string;
  quantity: number;
  unit_price_minor: number;
  line_total_minor: number;
  /** the catalog revision the price came from */
  price_version: number;
}

export interface OrderPlacedData {
  user_id: string;
  lines: OrderLine[];
  total_minor: number;
  currency: string;
  payment_method: PaymentMethod;
  placed_at: string;
  /** the saga's fault (fault injection on, `x-saga-fault`), null otherwise */
  fault: StepFault | null;
  correlation_id: string;
  /** the execution ARN the saga has (or will have) */
  saga_id: string;
  /** a hash of the request that placed it (an Idempotency-Key reused with another request is refused) */
  request_hash: string;
}

export interface InventoryReservedData {
  reservation_id: string;
  status: string;
}

export interface PaymentCapturedData {
  payment_id: string;
  status: string;
  amount_minor?: number;
  currency?: string;
}

export type OrderConfirmedData = Record<string, never>;

export interface InventoryCommittedData {
  reservation_id?: string;
  status: string;
}

export interface SagaStepFailedData {
  /** reserve, payment, confirm, or reconcile (the reconciler compensating a stuck order) */
  step: string;
  /** the error's name (`InsufficientStockError`, `States.Timeout`, ...) */
  error: string;
  /** the error's cause as Step Functions reported it (shortened) */
  cause: string;
}

export interface PaymentRefundedData {
  payment_id?: string;
  /** REFUNDED, or NOTHING_TO_REFUND when nothing had been captured */
  status: string;
}

export interface InventoryReleasedData {
  reservation_id?: string;
  status: string;
}

export type CancellationReason = 'out_of_stock' | 'payment_declined' | 'payment_unavailable' | 'step_timed_out' | 'internal_error' | 'stuck_reconciled';

export interface OrderCancelledData {
  reason: CancellationReason;
  /** a sentence a customer understands */
  message: string;
  failed_step: string;
  /** for payment_declined: the provider's decline code */
  decline_code?: string;
}

export interface OrderEventDataMap {
  OrderPlaced: OrderPlacedData;
  InventoryReserved: InventoryReservedData;
  PaymentCaptured: PaymentCapturedData;
  OrderConfirmed: OrderConfirmedData;
  InventoryCommitted: InventoryCommittedData;
  SagaStepFailed: SagaStepFailedData;
  PaymentRefunded: PaymentRefundedData;
  InventoryReleased: InventoryReleasedData;
  OrderCancelled: OrderCancelledData;
}

/** An event of an order's log. `seq` is its position (1, 2, ...), given when it is appended. */
export type OrderEvent = {
  [T in OrderEventType]: {
    type: T;
    seq: number;
    /** idempotency key (see above) */
    key: string;
    at: string;
    correlation_id?: string;
    data: OrderEventDataMap[T];
  };
}[OrderEventType];

/** An event about to be appended: everything but its position. */
export type NewOrderEvent = OrderEvent extends infer E ? (E extends OrderEvent ? Omit<E, 'seq'> : never) : never;

/** The idempotency key of an event of `type` with `data`. */
export function eventKey<T extends OrderEventType>(type: T, data: OrderEventDataMap[T]): string {
  return type === 'SagaStepFailed' ? `SagaStepFailed#${(data as SagaStepFailedData).step}` : type;
}

/** A new event with its key. */
export function newOrderEvent<T extends OrderEventType>(type: T, data: OrderEventDataMap[T], at: string, correlationId?: string): NewOrderEvent {
  return { type, key: eventKey(type, data), at, correlation_id: correlationId, data } as unknown as NewOrderEvent;
}
