/**
 * The saga's Orders steps (statemachines/README.md): each appends one event to the order's log
 * and answers the order's state after it. Each is idempotent: a retried step finds its event's
 * key in the log and answers the order as it is, appending nothing. A transition the order's
 * status does not allow is an OrderStateError.
 */
import { systemClock, type Clock } from '../../shared/clock';
import { newOrderEvent, type OrderEventDataMap, type RecordedEventType } from '../domain/events';
import type { Order } from '../domain/order';
import type { OrderEventStore } from '../domain/ports';
import { cancellationOf, type SagaFailure } from '../domain/reasons';
import { appendEvent } from './append';

export interface StepResult {
  order: Order;
  /** false: a retry, the event was already in the log */
  appended: boolean;
}

async function step(store: OrderEventStore, orderId: string, build: (current: Order | undefined) => ReturnType<typeof newOrderEvent>): Promise<StepResult> {
  const decision = await appendEvent(store, orderId, build);
  return { order: decision.order, appended: decision.appended !== undefined };
}

/** `record`: appends what a step of another service did (reserved, captured, committed, failed, refunded, released). */
export function recordStep<T extends RecordedEventType>(
  store: OrderEventStore,
  orderId: string,
  type: T,
  data: OrderEventDataMap[T],
  correlationId?: string,
  clock: Clock = systemClock,
): Promise<StepResult> {
  return step(store, orderId, () => newOrderEvent(type, data, clock(), correlationId));
}

/** `confirm`: the order is paid and reserved; OrderConfirmed puts `order.confirmed` in the outbox. */
export function confirmOrder(store: OrderEventStore, orderId: string, correlationId?: string, clock: Clock = systemClock): Promise<StepResult> {
  return step(store, orderId, () => newOrderEvent('OrderConfirmed', {}, clock(), correlationId));
}

/**
 * `cancel`: the compensations are done; OrderCancelled carries the reason (a code and a sentence
 * for the customer, which says whether money was taken back) and puts `order.cancelled` in the outbox.
 */
export function cancelOrder(store: OrderEventStore, orderId: string, failure: SagaFailure, correlationId?: string, clock: Clock = systemClock): Promise<StepResult> {
  return step(store, orderId, (current) => {
    const charged = Boolean(current?.payment) || current?.refund?.status === 'REFUNDED';
    return newOrderEvent('OrderCancelled', cancellationOf(failure, charged), clock(), correlationId);
  });
}
