/**
 * The order aggregate, event-sourced and pure: its state is the fold of its log's events, and
 * every change is an event that the transition table allows from the current status.
 *
 * ```
 * (none) ─OrderPlaced─▶ PLACED ─InventoryReserved─▶ RESERVED ─PaymentCaptured─▶ PAID ─OrderConfirmed─▶ CONFIRMED ─InventoryCommitted─▶ COMPLETED
 *                          │                           │                          │                       │
 *                          └──────────── SagaStepFailed (any of these, and again while compensating) ─────┘
 *                                                      ▼
 *                                  COMPENSATING ◀─PaymentRefunded / InventoryReleased
 *                                                      │
 *                                                OrderCancelled
 *                                                      ▼
 *                                                  CANCELLED
 * ```
 *
 * COMPLETED and CANCELLED are the ends: nothing follows them. A CONFIRMED order can still be
 * compensated (its confirmation may have been written by a confirm step that then timed out, and
 * the saga compensates whatever the failed step managed to do), never a COMPLETED one.
 * An event whose idempotency key is already in the log is not appended again: the saga's retried
 * records return the order as it is (see events.ts).
 */
import { CorruptLogError, OrderStateError } from './errors';
import type {
  CancellationReason,
  NewOrderEvent,
  OrderEvent,
  OrderEventType,
  OrderLine,
  PaymentMethod,
  SagaStepFailedData,
} from './events';
import type { StepFault } from '../../shared/task';
import { toMajor } from '../../shared/money';

export const ORDER_STATUSES = ['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'COMPLETED', 'COMPENSATING', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const END_STATUSES: ReadonlySet<OrderStatus> = new Set(['COMPLETED', 'CANCELLED']);
export const isEnded = (status: OrderStatus): boolean => END_STATUSES.has(status);

/** From which statuses each event may be appended (null: to an order that does not exist yet). */
export const TRANSITIONS: Readonly<Record<OrderEventType, ReadonlyArray<OrderStatus | null>>> = Object.freeze({
  OrderPlaced: [null],
  InventoryReserved: ['PLACED'],
  PaymentCaptured: ['RESERVED'],
  OrderConfirmed: ['PAID'],
  InventoryCommitted: ['CONFIRMED'],
  SagaStepFailed: ['PLACED', 'RESERVED', 'PAID', 'CONFIRMED', 'COMPENSATING'],
  PaymentRefunded: ['COMPENSATING'],
  InventoryReleased: ['COMPENSATING'],
  OrderCancelled: ['COMPENSATING'],
});

/** The status each event leads to. */
const TARGET: Readonly<Record<OrderEventType, OrderStatus>> = Object.freeze({
  OrderPlaced: 'PLACED',
  InventoryReserved: 'RESERVED',
  PaymentCaptured: 'PAID',
  OrderConfirmed: 'CONFIRMED',
  InventoryCommitted: 'COMPLETED',
  SagaStepFailed: 'COMPENSATING',
  PaymentRefunded: 'COMPENSATING',
  InventoryReleased: 'COMPENSATING',
  OrderCancelled: 'CANCELLED',
});

export interface Order {
  orderId: string;
  userId: string;
  status: OrderStatus;
  /** the seq of the last event folded */
  version: number;
  placedAt: string;
  updatedAt: string;
  lines: OrderLine[];
  totalMinor: number;
  currency: string;
  paymentMethod: PaymentMethod;
  fault: StepFault | null;
  correlationId: string;
  sagaId: string;
  requestHash: string;
  reservation?: { reservationId: string; status: string };
  payment?: { paymentId: string; status: string; amountMinor?: number; currency?: string };
  commit?: { status: string };
  refund?: { paymentId?: string; status: string };
  release?: { status: string };
  /** the saga's failed steps, oldest first */
  failures: Array<SagaStepFailedData & { at: string }>;
  cancellation?: { reason: CancellationReason; message: string; failedStep: string; declineCode?: string; at: string };
  confirmedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
  /** idempotency keys of the events folded */
  keys: string[];
}

/** Whether the order has already taken an event with this key. */
export const hasEvent = (order: Order | undefined, key: string): boolean => order?.keys.includes(key) ?? false;

/** Whether the transition table allows `type` from the order's status. */
export function allows(order: Order | undefined, type: OrderEventType): boolean {
  return TRANSITIONS[type].includes(order ? order.status : null);
}

/**
 * The order after one more event (a new one, or one of the log being folded). Throws
 * OrderStateError when the transition table does not allow it.
 */
export function apply(order: Order | undefined, event: NewOrderEvent | OrderEvent, orderId = order?.orderId ?? ''): Order {
  if (!allows(order, event.type)) throw new OrderStateError(orderId, order?.status, event.type);
  const status = TARGET[event.type];
  const at = event.at;
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    return {
      orderId,
      userId: d.user_id,
      status,
      version: 1,
      placedAt: d.placed_at,
      updatedAt: at,
      lines: d.lines,
      totalMinor: d.total_minor,
      currency: d.currency,
      paymentMethod: d.payment_method,
      fault: d.fault ?? null,
      correlationId: d.correlation_id,
      sagaId: d.saga_id,
      requestHash: d.request_hash,
      failures: [],
      keys: [event.key],
    };
  }
  const o = order!;
  const next: Order = { ...o, status, version: o.version + 1, updatedAt: at, keys: [...o.keys, event.key] };
  switch (event.type) {
    case 'InventoryReserved':
      next.reservation = { reservationId: event.data.reservation_id, status: event.data.status };
      break;
    case 'PaymentCaptured':
      next.payment = { paymentId: event.data.payment_id, status: event.data.status, amountMinor: event.data.amount_minor, currency: event.data.currency };
      break;
    case 'OrderConfirmed':
      next.confirmedAt = at;
      break;
    case 'InventoryCommitted':
      next.commit = { status: event.data.status };
      next.completedAt = at;
      break;
    case 'SagaStepFailed':
      next.failures = [...o.failures, { ...event.data, at }];
      break;
    case 'PaymentRefunded':
      next.refund = { paymentId: event.data.payment_id, status: event.data.status };
      break;
    case 'InventoryReleased':
      next.release = { status: event.data.status };
      break;
    case 'OrderCancelled':
      next.cancellation = { reason: event.data.reason, message: event.data.message, failedStep: event.data.failed_step, declineCode: event.data.decline_code, at };
      next.cancelledAt = at;
      break;
  }
  return next;
}

/** The state of an order: the fold of its log (undefined for an empty log). */
export function fold(orderId: string, events: ReadonlyArray<OrderEvent>): Order | undefined {
  let order: Order | undefined;
  events.forEach((event, i) => {
    if (event.seq !== i + 1) throw new CorruptLogError(orderId, `event ${i + 1} has seq ${event.seq}`);
    order = apply(order, event, orderId);
  });
  return order;
}

export interface Decision {
  /** the order after the event (unchanged when the event was already there) */
  order: Order;
  /** the event appended, or undefined when its key was already in the log (a retry) */
  appended?: NewOrderEvent;
}

/**
 * Decides one event for an order: a repeat (its key already in the log) changes nothing, else the
 * transition must be allowed. Pure: the event store appends what this decides.
 */
export function decide(order: Order | undefined, event: NewOrderEvent, orderId: string): Decision {
  if (order && hasEvent(order, event.key)) return { order };
  return { order: apply(order, event, orderId), appended: event };
}

/** The customer's payment method without its secrets: the card's last four digits, or that it is a token. */
export function maskedPaymentMethod(pm: PaymentMethod): { type: 'card'; last4: string } | { type: 'token' } {
  return 'card_number' in pm ? { type: 'card', last4: pm.card_number.slice(-4) } : { type: 'token' };
}

/** The public (snake_case) view of an order: what the API answers, the read model stores, the saga's tasks return. */
export interface OrderView {
  order_id: string;
  user_id: string;
  status: OrderStatus;
  version: number;
  items: Array<{ product_id: string; name: string; quantity: number; unit_price: number; unit_price_minor: number; line_total_minor: number }>;
  total: number;
  total_minor: number;
  currency: string;
  payment_method: ReturnType<typeof maskedPaymentMethod>;
  saga_id: string;
  placed_at: string;
  updated_at: string;
  reservation_id?: string;
  payment_id?: string;
  confirmed_at?: string;
  completed_at?: string;
  cancelled_at?: string;
  failure?: { step: string; error: string; cause: string; at: string };
  cancellation?: { reason: CancellationReason; message: string; failed_step: string; decline_code?: string };
}

export function orderView(o: Order): OrderView {
  const failure = o.failures.at(-1);
  const view: OrderView = {
    order_id: o.orderId,
    user_id: o.userId,
    status: o.status,
    version: o.version,
    items: o.lines.map((l) => ({
      product_id: l.product_id,
      name: l.name,
      quantity: l.quantity,
      unit_price: toMajor(l.unit_price_minor, o.currency),
      unit_price_minor: l.unit_price_minor,
      line_total_minor: l.line_total_minor,
    })),
    total: toMajor(o.totalMinor, o.currency),
    total_minor: o.totalMinor,
    currency: o.currency,
    payment_method: maskedPaymentMethod(o.paymentMethod),
    saga_id: o.sagaId,
    placed_at: o.placedAt,
    updated_at: o.updatedAt,
  };
  if (o.reservation) view.reservation_id = o.reservation.reservationId;
  if (o.payment) view.payment_id = o.payment.paymentId;
  if (o.confirmedAt) view.confirmed_at = o.confirmedAt;
  if (o.completedAt) view.completed_at = o.completedAt;
  if (o.cancelledAt) view.cancelled_at = o.cancelledAt;
  if (failure) view.failure = { step: failure.step, error: failure.error, cause: failure.cause, at: failure.at };
  if (o.cancellation) {
    view.cancellation = { reason: o.cancellation.reason, message: o.cancellation.message, failed_step: o.cancellation.failedStep };
    if (o.cancellation.declineCode) view.cancellation.decline_code = o.cancellation.declineCode;
  }
  return view;
}
