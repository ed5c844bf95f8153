/**
 * Payments' domain events (topic payment-events), keyed by the order id so that one order's
 * payment events stay in order with each other. Each travels through the outbox in the same
 * transaction as the state change it announces; its id derives from the payment and the change,
 * so the event of a change exists once whatever retried.
 */
import { newEvent, type EventEnvelope } from '../../shared/events/envelope';
import type { Payment } from './payment';

export const SOURCE = 'payments';
export const PAYMENT_EVENTS = { captured: 'payment.captured', declined: 'payment.declined', refunded: 'payment.refunded' } as const;

const base = (p: Payment) => ({ order_id: p.orderId, payment_id: p.paymentId, user_id: p.userId, amount_minor: p.amountMinor, currency: p.currency });

function event(type: string, p: Payment, data: Record<string, unknown>): EventEnvelope {
  return newEvent(SOURCE, type, p.orderId, { ...base(p), ...data }, { id: `${type}:${p.paymentId}`, time: p.updatedAt });
}

/** The event that announces a payment's new state, if that state is announced. */
export function paymentEvent(p: Payment): EventEnvelope | undefined {
  switch (p.status) {
    case 'CAPTURED':
      return event(PAYMENT_EVENTS.captured, p, { provider_reference: p.providerReference });
    case 'DECLINED':
      return event(PAYMENT_EVENTS.declined, p, { decline_code: p.declineCode, decline_message: p.declineMessage });
    case 'REFUNDED':
      return event(PAYMENT_EVENTS.refunded, p, { reason: p.refund?.reason, refund_reference: p.refund?.reference });
    default:
      return undefined;
  }
}
