/**
 * What Notifications takes from other services' events, read leniently (they are Orders' and
 * Payments' contracts; what does not fit is ignored and logged, never retried forever):
 *
 * | topic            | type              | message           | data read                                                        |
 * | ---------------- | ----------------- | ----------------- | ---------------------------------------------------------------- |
 * | `order-events`   | `order.placed`    | none              | order_id, user_id, currency (the order -> user projection)        |
 * | `order-events`   | `order.confirmed` | `order_confirmed` | order_id, user_id, total_minor, currency, items[]                |
 * | `order-events`   | `order.cancelled` | `order_cancelled` | order_id, user_id, reason (a code, or `{code, message}`), decline_code?, message? |
 * | `payment-events` | `payment.refunded`| `payment_refunded`| order_id, user_id?, amount_minor, currency                        |
 *
 * `payment.captured` and `payment.declined` send nothing: the order's own outcome follows
 * (confirmed, or cancelled with the decline), and one message per outcome is enough.
 * A payment event without `user_id` is sent to the order's user as Notifications' projection of
 * `order.placed` knows it (the first event of an order, long before any refund). The order id falls back to an order event's subject (its aggregate id).
 */
import { z } from 'zod';
import type { EventEnvelope } from '../../shared/events/envelope';
import { orderCancelledData, type OrderCancelledData } from './templates/order-cancelled';
import { orderConfirmedData, type OrderConfirmedData } from './templates/order-confirmed';
import { paymentRefundedData, type PaymentRefundedData } from './templates/payment-refunded';

/** What the projection keeps of an order: whose it is. */
export interface OrderContact {
  order_id: string;
  user_id: string;
  currency?: string;
}

export type NotifyIntent =
  | { template: 'order_confirmed'; data: OrderConfirmedData }
  | { template: 'order_cancelled'; data: OrderCancelledData }
  | { template: 'payment_refunded'; data: PaymentRefundedData };

export interface Interpretation {
  /** the order -> user fact this event carries (order.placed only: the first, and the one before any payment) */
  contact?: OrderContact;
  /** the message it calls for, if any */
  notify?: NotifyIntent & { order_id: string; user_id?: string };
  /** why nothing is sent, for the log */
  ignored?: string;
}

export const ORDER_EVENTS = { placed: 'order.placed', confirmed: 'order.confirmed', cancelled: 'order.cancelled' } as const;
export const PAYMENT_EVENTS = { refunded: 'payment.refunded' } as const;
/** The events Notifications takes, per topic (its mappings' filter criteria). */
export const NOTIFICATION_EVENT_TYPES = { orders: Object.values(ORDER_EVENTS), payments: Object.values(PAYMENT_EVENTS) };

const userId = z.string().min(1).max(128);
const base = z.object({ order_id: z.string().min(1).max(128), user_id: userId.optional() });

/** `reason` as Orders writes it: a code with `message`/`decline_code` beside it, or an object holding them. */
const reasonObject = z.object({ code: z.string().min(1), message: z.string().optional(), decline_code: z.string().optional() });
const cancelled = base.extend({
  reason: z.union([z.string().min(1), reasonObject]),
  message: z.string().optional(),
  decline_code: z.string().optional(),
});

/** The event's data with the order id filled in from an order event's subject when absent. */
function dataOf(event: EventEnvelope): Record<string, unknown> | undefined {
  if (!event.data || typeof event.data !== 'object' || Array.isArray(event.data)) return undefined;
  const data = event.data as Record<string, unknown>;
  return event.type.startsWith('order.') && data.order_id === undefined ? { ...data, order_id: event.subject } : data;
}

function contactOf(d: { order_id: string; user_id?: string; currency?: unknown }): OrderContact | undefined {
  if (!d.user_id) return undefined;
  return { order_id: d.order_id, user_id: d.user_id, ...(typeof d.currency === 'string' ? { currency: d.currency } : {}) };
}

const fits = <T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; why: string } => {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, why: r.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ') };
};

/** What `event` means for Notifications. Pure: no lookup, no clock. */
export function interpret(event: EventEnvelope): Interpretation {
  const data = dataOf(event);
  if (!data) return { ignored: 'data is not an object' };
  const head = base.safeParse(data);

  switch (event.type) {
    case ORDER_EVENTS.placed: {
      if (!head.success) return { ignored: 'no order_id' };
      const contact = contactOf({ ...head.data, currency: data.currency });
      return contact ? { contact } : { ignored: 'order.placed without user_id' };
    }
    case ORDER_EVENTS.confirmed: {
      if (!head.success) return { ignored: 'no order_id' };
      const parsed = fits(orderConfirmedData, data);
      if (!parsed.ok) return { ignored: `order.confirmed does not fit: ${parsed.why}` };
      return { notify: { template: 'order_confirmed', data: parsed.value, order_id: head.data.order_id, user_id: head.data.user_id } };
    }
    case ORDER_EVENTS.cancelled: {
      const c = fits(cancelled, data);
      if (!c.ok) return { ignored: `order.cancelled does not fit: ${c.why}` };
      const r = c.value.reason;
      const reason = typeof r === 'string' ? { code: r, message: c.value.message, decline_code: c.value.decline_code } : { ...r, decline_code: r.decline_code ?? c.value.decline_code };
      const parsed = fits(orderCancelledData, {
        order_id: c.value.order_id,
        reason: reason.code,
        ...(reason.decline_code ? { decline_code: reason.decline_code } : {}),
        ...(reason.message ? { message: reason.message.slice(0, 500) } : {}),
      });
      if (!parsed.ok) return { ignored: `order.cancelled does not fit: ${parsed.why}` };
      return { notify: { template: 'order_cancelled', data: parsed.value, order_id: c.value.order_id, user_id: c.value.user_id } };
    }
    case PAYMENT_EVENTS.refunded: {
      if (!head.success) return { ignored: 'payment.refunded without order_id' };
      const parsed = fits(paymentRefundedData, data);
      if (!parsed.ok) return { ignored: `payment.refunded does not fit: ${parsed.why}` };
      if (parsed.value.amount_minor === 0) return { ignored: 'nothing was refunded' };
      return { notify: { template: 'payment_refunded', data: parsed.value, order_id: head.data.order_id, user_id: head.data.user_id } };
    }
    default:
      return { ignored: `no message for ${event.type}` };
  }
}
