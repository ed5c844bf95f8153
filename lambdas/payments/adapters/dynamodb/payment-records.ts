/** Payments as DynamoDB items (snake_case attributes, as every table of the platform). */
import type { Payment } from '../../domain/payment';

export interface PaymentRecord {
  payment_id: string;
  order_id: string;
  user_id?: string;
  status: Payment['status'];
  amount_minor: number;
  currency: string;
  card?: { brand: string; last4: string };
  provider_reference?: string;
  decline_code?: string;
  decline_message?: string;
  failure?: { reason: string; message: string };
  uncertain: boolean;
  attempts: number;
  lease_until?: string;
  refund?: { reference: string; amount_minor: number; reason: string; refunded_at: string };
  void_reason?: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export function paymentRecord(p: Payment): PaymentRecord {
  return {
    payment_id: p.paymentId,
    order_id: p.orderId,
    user_id: p.userId,
    status: p.status,
    amount_minor: p.amountMinor,
    currency: p.currency,
    card: p.card,
    provider_reference: p.providerReference,
    decline_code: p.declineCode,
    decline_message: p.declineMessage,
    failure: p.failure,
    uncertain: p.uncertain,
    attempts: p.attempts,
    lease_until: p.leaseUntil,
    refund: p.refund && { reference: p.refund.reference, amount_minor: p.refund.amountMinor, reason: p.refund.reason, refunded_at: p.refund.refundedAt },
    void_reason: p.voidReason,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function toPayment(r: PaymentRecord): Payment {
  return {
    paymentId: r.payment_id,
    orderId: r.order_id,
    userId: r.user_id,
    status: r.status,
    amountMinor: r.amount_minor,
    currency: r.currency,
    card: r.card,
    providerReference: r.provider_reference,
    declineCode: r.decline_code,
    declineMessage: r.decline_message,
    failure: r.failure as Payment['failure'],
    uncertain: r.uncertain,
    attempts: r.attempts,
    leaseUntil: r.lease_until,
    refund: r.refund && { reference: r.refund.reference, amountMinor: r.refund.amount_minor, reason: r.refund.reason, refundedAt: r.refund.refunded_at },
    voidReason: r.void_reason,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
