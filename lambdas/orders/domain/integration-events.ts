/**
 * The events other services consume (topic `order-events`, keyed by order id), written to the
 * outbox in the same transaction as the log's event that causes them:
 *
 * | log event      | outbox event      | data                                                                 |
 * | -------------- | ----------------- | -------------------------------------------------------------------- |
 * | OrderPlaced    | `order.placed`    | order_id, user_id, items[{product_id, quantity, unit_price_minor}], total_minor, currency, placed_at |
 * | OrderConfirmed | `order.confirmed` | order_id, user_id, items[{product_id, quantity, name, unit_price_minor}] (the catalog's popularity signal; the customer's confirmation lists them), total_minor, currency, confirmed_at |
 * | OrderCancelled | `order.cancelled` | order_id, user_id, reason, message, failed_step, decline_code?, items, cancelled_at |
 *
 * The payment method never leaves Orders. Each event's id is derived from the order id and the
 * log position, so an event is the same event however often it is built.
 */
import { createHash } from 'node:crypto';
import { newEvent, type EventEnvelope } from '../../shared/events/envelope';
import type { NewOrderEvent } from './events';
import type { Order } from './order';

export const ORDERS_SOURCE = 'orders';

export const INTEGRATION_EVENTS = {
  placed: 'order.placed',
  confirmed: 'order.confirmed',
  cancelled: 'order.cancelled',
} as const;

/** A UUID-shaped id, stable for (order, seq). */
export function integrationEventId(orderId: string, seq: number): string {
  const h = createHash('sha256').update(`order-event\u0000${orderId}\u0000${seq}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The outbox event announcing `event` (appended at `order.version`), if other services consume it. */
export function integrationEvent(order: Order, event: NewOrderEvent): EventEnvelope | undefined {
  const options = { id: integrationEventId(order.orderId, order.version), time: event.at };
  const items = order.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity }));
  const base = { order_id: order.orderId, user_id: order.userId };
  switch (event.type) {
    case 'OrderPlaced':
      return newEvent(
        ORDERS_SOURCE,
        INTEGRATION_EVENTS.placed,
        order.orderId,
        {
          ...base,
          items: order.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity, unit_price_minor: l.unit_price_minor })),
          total_minor: order.totalMinor,
          currency: order.currency,
          placed_at: order.placedAt,
        },
        options,
      );
    case 'OrderConfirmed':
      return newEvent(
        ORDERS_SOURCE,
        INTEGRATION_EVENTS.confirmed,
        order.orderId,
        {
          ...base,
          // what the customer bought, as Notifications' confirmation lists it (name and price as placed)
          items: order.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity, name: l.name, unit_price_minor: l.unit_price_minor })),
          total_minor: order.totalMinor,
          currency: order.currency,
          confirmed_at: event.at,
        },
        options,
      );
    case 'OrderCancelled':
      return newEvent(ORDERS_SOURCE, INTEGRATION_EVENTS.cancelled, order.orderId, { ...base, ...event.data, items, cancelled_at: event.at }, options);
    default:
      return undefined;
  }
}
