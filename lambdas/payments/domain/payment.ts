/**
 * The payment of an order and the rules that move it. Pure functions only; the repository
 * writes each change conditionally on the version it was read at, so concurrent callers and
 * retries cannot apply two of them from the same state.
 *
 *   PENDING ──▶ CAPTURED ──▶ REFUNDED
 *      │  ├───▶ DECLINED
 *      │  └───▶ FAILED ──▶ PENDING (a retried charge: same payment id, same provider key)
 *      │          ├────▶ CAPTURED | DECLINED (the provider, asked by key, says what the unknown attempt did)
 *      │          └────▶ VOIDED (a refund found nothing captured)
 *   (none) ──▶ VOIDED (a refund before any charge: a tombstone, so a late charge cannot capture)
 *
 * - One payment per order: the payment id derives from the order id, so the first write of an
 *   order's payment is a conditional put that only one caller wins, and the provider sees the
 *   same idempotency key (the payment id) on every attempt.
 * - PENDING carries a lease: the attempt's owner is calling the provider; others wait for its
 *   outcome, and take over only once the lease has passed (its owner died).
 * - An attempt whose outcome at the provider is unknown (timeout, provider error, still in
 *   progress) marks the payment `uncertain`: refunding it first asks the provider by key.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../../shared/errors';
import { toMajor } from '../../shared/money';
import { PaymentMismatchError, PaymentStateError, type ProviderFailure } from './errors';

export type PaymentStatus = 'PENDING' | 'CAPTURED' | 'DECLINED' | 'FAILED' | 'REFUNDED' | 'VOIDED';
export type FailureReason = ProviderFailure | 'circuit_open';

export interface Card {
  brand: string;
  last4: string;
}

export interface Payment {
  paymentId: string;
  orderId: string;
  userId?: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
  card?: Card;
  /** the provider's id of the charge */
  providerReference?: string;
  declineCode?: string;
  declineMessage?: string;
  failure?: { reason: FailureReason; message: string };
  /** an attempt may have reached the provider without an answer: refunds ask the provider first */
  uncertain: boolean;
  /** charge attempts so far */
  attempts: number;
  /** PENDING: until when the attempt's owner holds it (ISO-8601) */
  leaseUntil?: string;
  refund?: { reference: string; amountMinor: number; reason: string; refundedAt: string };
  voidReason?: string;
  /** bumped by every change; writes are conditional on it */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ChargeRequest {
  orderId: string;
  userId?: string;
  amountMinor: number;
  currency: string;
  cardNumber: string;
}

/** "No currency involved" (ISO 4217), for the tombstone of an order refunded before any charge. */
export const NO_CURRENCY = 'XXX';

/** The payment id of an order: the same for every attempt and every caller. */
export function paymentIdFor(orderId: string): string {
  return `pay_${createHash('sha256').update(`payments/v1/${orderId}`).digest('hex').slice(0, 32)}`;
}

export function cardOf(number: string): Card {
  const brand = /^4/.test(number) ? 'visa' : /^(5[1-5]|2[2-7])/.test(number) ? 'mastercard' : /^3[47]/.test(number) ? 'amex' : /^6(011|5)/.test(number) ? 'discover' : 'unknown';
  return { brand, last4: number.slice(-4) };
}

const iso = (ms: number) => new Date(ms).toISOString();

function moved(p: Payment, now: number, change: Partial<Payment>): Payment {
  return { ...p, ...change, version: p.version + 1, updatedAt: iso(now) };
}

export type ChargePlan =
  /** write `next` (a new payment, or a new attempt on this one) and call the provider */
  | { kind: 'attempt'; next: Payment; previous?: Payment }
  /** the payment is settled: answer it */
  | { kind: 'settled'; payment: Payment }
  /** another caller is charging this order: wait for its outcome until `until` (epoch ms) */
  | { kind: 'wait'; payment: Payment; until: number };

/** What a charge request does, given the order's payment as stored. */
export function planCharge(existing: Payment | undefined, req: ChargeRequest, now: number, leaseMs: number): ChargePlan {
  const lease = { status: 'PENDING' as const, leaseUntil: iso(now + leaseMs), card: cardOf(req.cardNumber), failure: undefined };
  if (!existing) {
    const next: Payment = {
      paymentId: paymentIdFor(req.orderId),
      orderId: req.orderId,
      userId: req.userId,
      amountMinor: req.amountMinor,
      currency: req.currency,
      uncertain: false,
      attempts: 1,
      version: 1,
      createdAt: iso(now),
      updatedAt: iso(now),
      ...lease,
    };
    return { kind: 'attempt', next };
  }
  if (existing.status === 'VOIDED') {
    throw new PaymentStateError("the order's payment was voided (refunded before anything was captured); it cannot be charged", [
      { field: 'order_id', message: 'payment voided', payment_id: existing.paymentId },
    ]);
  }
  if (existing.amountMinor !== req.amountMinor || existing.currency !== req.currency) {
    throw new PaymentMismatchError(`the order already has a payment of ${existing.amountMinor} ${existing.currency} (minor units)`, [
      { field: 'amount_minor', message: `the order's payment is ${existing.amountMinor} ${existing.currency}, not ${req.amountMinor} ${req.currency}`, payment_id: existing.paymentId },
    ]);
  }
  switch (existing.status) {
    case 'CAPTURED':
    case 'DECLINED':
    case 'REFUNDED':
      return { kind: 'settled', payment: existing };
    case 'PENDING': {
      const until = Date.parse(existing.leaseUntil ?? '1970-01-01T00:00:00Z');
      // the owner died mid-attempt: its outcome at the provider is unknown, the next attempt asks under the same key
      if (until <= now) return { kind: 'attempt', previous: existing, next: moved(existing, now, { ...lease, uncertain: true, attempts: existing.attempts + 1 }) };
      return { kind: 'wait', payment: existing, until };
    }
    case 'FAILED':
      return { kind: 'attempt', previous: existing, next: moved(existing, now, { ...lease, attempts: existing.attempts + 1 }) };
  }
}

export function captured(p: Payment, reference: string, now: number, card?: Card): Payment {
  if (p.status !== 'PENDING' && p.status !== 'FAILED') throw new PaymentStateError(`a ${p.status.toLowerCase()} payment cannot be captured`);
  return moved(p, now, { status: 'CAPTURED', providerReference: reference, card: card ?? p.card, leaseUntil: undefined, failure: undefined });
}

export function declined(p: Payment, code: string, message: string, now: number, reference?: string): Payment {
  if (p.status !== 'PENDING' && p.status !== 'FAILED') throw new PaymentStateError(`a ${p.status.toLowerCase()} payment cannot be declined`);
  return moved(p, now, { status: 'DECLINED', declineCode: code, declineMessage: message, providerReference: reference, leaseUntil: undefined, failure: undefined });
}

/** The attempt failed. Reasons other than an open circuit may have reached the provider: the payment becomes uncertain. */
export function failed(p: Payment, reason: FailureReason, message: string, now: number): Payment {
  if (p.status !== 'PENDING') throw new PaymentStateError(`a ${p.status.toLowerCase()} payment has no attempt to fail`);
  const reached = reason === 'timeout' || reason === 'provider_error' || reason === 'in_progress';
  return moved(p, now, { status: 'FAILED', failure: { reason, message }, uncertain: p.uncertain || reached, leaseUntil: undefined });
}

export function refunded(p: Payment, reference: string, reason: string, now: number): Payment {
  if (p.status !== 'CAPTURED') throw new PaymentStateError(`only a captured payment can be refunded; this one is ${p.status.toLowerCase()}`);
  return moved(p, now, { status: 'REFUNDED', refund: { reference, amountMinor: p.amountMinor, reason, refundedAt: iso(now) } });
}

/** Nothing was captured and nothing may be: the order's payment is closed. */
export function voided(p: Payment | undefined, orderId: string, reason: string, now: number): Payment {
  if (!p) {
    return {
      paymentId: paymentIdFor(orderId),
      orderId,
      status: 'VOIDED',
      amountMinor: 0,
      currency: NO_CURRENCY,
      uncertain: false,
      attempts: 0,
      voidReason: reason,
      version: 1,
      createdAt: iso(now),
      updatedAt: iso(now),
    };
  }
  if (p.status !== 'FAILED' && p.status !== 'PENDING') throw new PaymentStateError(`a ${p.status.toLowerCase()} payment cannot be voided`);
  return moved(p, now, { status: 'VOIDED', voidReason: reason, leaseUntil: undefined });
}

export type RefundPlan =
  | { kind: 'refund'; payment: Payment }
  | { kind: 'settled'; payment: Payment }
  /** nothing was captured and nothing can be (declined, voided) */
  | { kind: 'nothing'; payment: Payment }
  /** no payment at all: void the order's payment so that a late charge cannot capture */
  | { kind: 'void'; payment?: Payment }
  /** an attempt's outcome is unknown: ask the provider by the payment's key */
  | { kind: 'ask'; payment: Payment }
  | { kind: 'wait'; payment: Payment; until: number };

/**
 * What a refund does, given the payment as stored. Refunds are full only (the saga and the
 * order's state know no partial refund): `amountMinor`, when sent, must be the captured amount.
 */
export function planRefund(p: Payment | undefined, now: number, amountMinor?: number): RefundPlan {
  if (!p) return { kind: 'void' };
  if (amountMinor !== undefined && (p.status === 'CAPTURED' || p.status === 'REFUNDED') && amountMinor !== p.amountMinor) {
    throw new ValidationError('partial refunds are not supported: a refund returns the whole captured amount', [
      {
        field: 'amount',
        message: `must be the captured amount, ${toMajor(p.amountMinor, p.currency)} ${p.currency} (${p.amountMinor} minor units), or left out`,
        captured_amount_minor: p.amountMinor,
      },
    ]);
  }
  switch (p.status) {
    case 'CAPTURED':
      return { kind: 'refund', payment: p };
    case 'REFUNDED':
      return { kind: 'settled', payment: p };
    case 'DECLINED':
    case 'VOIDED':
      return { kind: 'nothing', payment: p };
    case 'PENDING': {
      const until = Date.parse(p.leaseUntil ?? '1970-01-01T00:00:00Z');
      return until > now ? { kind: 'wait', payment: p, until } : { kind: 'ask', payment: p };
    }
    case 'FAILED':
      return p.uncertain ? { kind: 'ask', payment: p } : { kind: 'void', payment: p };
  }
}

/** The public (snake_case) view of a payment. */
export function paymentView(p: Payment) {
  const known = p.currency !== NO_CURRENCY;
  return {
    payment_id: p.paymentId,
    order_id: p.orderId,
    user_id: p.userId,
    status: p.status,
    amount_minor: p.amountMinor,
    amount: known ? toMajor(p.amountMinor, p.currency) : 0,
    currency: p.currency,
    card: p.card,
    provider_reference: p.providerReference,
    decline_code: p.declineCode,
    decline_message: p.declineMessage,
    failure: p.failure,
    refund: p.refund && { refund_reference: p.refund.reference, amount_minor: p.refund.amountMinor, reason: p.refund.reason, refunded_at: p.refund.refundedAt },
    void_reason: p.voidReason,
    attempts: p.attempts,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}
