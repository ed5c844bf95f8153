/** The payment's rules: one per order, its transitions, and what a charge or refund does in each state. */
import { PaymentMismatchError, PaymentStateError } from '../../../../../lambdas/payments/domain/errors';
import { paymentEvent } from '../../../../../lambdas/payments/domain/events';
import {
  captured,
  declined,
  failed,
  paymentIdFor,
  paymentView,
  planCharge,
  planRefund,
  refunded,
  voided,
  type ChargeRequest,
} from '../../../../../lambdas/payments/domain/payment';
import { ValidationError } from '../../../../../lambdas/shared/errors';

const req: ChargeRequest = { orderId: 'ord_1', userId: 'user1', amountMinor: 59998, currency: 'USD', cardNumber: '4242424242424242' };
const T = Date.parse('2026-12-01T10:00:00Z');
const LEASE = 10_000;

function pending() {
  const plan = planCharge(undefined, req, T, LEASE);
  if (plan.kind !== 'attempt') throw new Error('expected an attempt');
  return plan.next;
}

describe('the payment of an order', () => {
  it('has an id derived from the order, the same every time, opaque', () => {
    expect(paymentIdFor('ord_1')).toBe(paymentIdFor('ord_1'));
    expect(paymentIdFor('ord_1')).not.toBe(paymentIdFor('ord_2'));
    expect(paymentIdFor('ord_1')).toMatch(/^pay_[0-9a-f]{32}$/);
  });

  it('starts PENDING with a lease, version 1, the card brand and last four digits only', () => {
    const p = pending();
    expect(p).toMatchObject({ status: 'PENDING', attempts: 1, version: 1, leaseUntil: '2026-12-01T10:00:10.000Z', card: { brand: 'visa', last4: '4242' }, uncertain: false });
    expect(JSON.stringify(p)).not.toContain('4242424242424242');
  });

  it('answers a settled payment, waits for a live attempt, takes over an abandoned one, retries a failed one', () => {
    const p = pending();
    const cap = captured(p, 'ch_1', T + 1);
    expect(planCharge(cap, req, T + 2, LEASE)).toEqual({ kind: 'settled', payment: cap });
    expect(planCharge(p, req, T + 5000, LEASE)).toEqual({ kind: 'wait', payment: p, until: T + LEASE });
    const takeover = planCharge(p, req, T + LEASE, LEASE);
    expect(takeover).toMatchObject({ kind: 'attempt', next: { status: 'PENDING', attempts: 2, version: 2, uncertain: true } });
    const f = failed(p, 'provider_error', '503', T + 1);
    expect(planCharge(f, req, T + 2, LEASE)).toMatchObject({ kind: 'attempt', previous: f, next: { status: 'PENDING', attempts: 2, version: 3 } });
  });

  it('refuses a charge of another amount, and any charge of a voided payment', () => {
    const cap = captured(pending(), 'ch_1', T);
    expect(() => planCharge(cap, { ...req, amountMinor: 1 }, T, LEASE)).toThrow(PaymentMismatchError);
    expect(() => planCharge(cap, { ...req, currency: 'EUR' }, T, LEASE)).toThrow(PaymentMismatchError);
    expect(() => planCharge(voided(undefined, 'ord_1', 'saga compensated', T), req, T, LEASE)).toThrow(PaymentStateError);
  });

  it('moves only along its state machine', () => {
    const p = pending();
    const cap = captured(p, 'ch_1', T);
    expect(() => captured(cap, 'ch_2', T)).toThrow(PaymentStateError);
    expect(() => declined(cap, 'card_declined', 'no', T)).toThrow(PaymentStateError);
    expect(() => refunded(p, 're_1', 'x', T)).toThrow(/only a captured payment/);
    const ref = refunded(cap, 're_1', 'payment', T);
    expect(ref).toMatchObject({ status: 'REFUNDED', version: 3, refund: { reference: 're_1', amountMinor: 59998, reason: 'payment' } });
    expect(() => refunded(ref, 're_2', 'x', T)).toThrow(PaymentStateError);
    expect(() => voided(cap, 'ord_1', 'x', T)).toThrow(PaymentStateError);
    expect(() => failed(cap, 'timeout', 'x', T)).toThrow(PaymentStateError);
  });

  it('becomes uncertain when an attempt may have reached the provider, not when the circuit refused it', () => {
    expect(failed(pending(), 'timeout', 't', T).uncertain).toBe(true);
    expect(failed(pending(), 'in_progress', 't', T).uncertain).toBe(true);
    expect(failed(pending(), 'circuit_open', 'open', T).uncertain).toBe(false);
  });
});

describe('refund plans', () => {
  it('refunds a capture, answers a refund, has nothing for a decline or a void, voids when nothing exists', () => {
    const cap = captured(pending(), 'ch_1', T);
    expect(planRefund(cap, T)).toEqual({ kind: 'refund', payment: cap });
    const ref = refunded(cap, 're_1', 'r', T);
    expect(planRefund(ref, T)).toEqual({ kind: 'settled', payment: ref });
    const dec = declined(pending(), 'card_declined', 'no', T);
    expect(planRefund(dec, T).kind).toBe('nothing');
    expect(planRefund(undefined, T)).toEqual({ kind: 'void' });
  });

  it('asks the provider about an uncertain or abandoned attempt, waits for a live one, voids a certain failure', () => {
    expect(planRefund(failed(pending(), 'timeout', 't', T), T).kind).toBe('ask');
    const open = failed(pending(), 'circuit_open', 'open', T);
    expect(planRefund(open, T)).toEqual({ kind: 'void', payment: open });
    expect(planRefund(pending(), T + 1).kind).toBe('wait');
    expect(planRefund(pending(), T + LEASE).kind).toBe('ask');
  });

  it('refuses a partial refund, naming the captured amount', () => {
    const cap = captured(pending(), 'ch_1', T);
    expect(planRefund(cap, T, 59998).kind).toBe('refund');
    try {
      planRefund(cap, T, 100);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toBe('partial refunds are not supported: a refund returns the whole captured amount');
      expect((err as ValidationError).details).toEqual([
        { field: 'amount', message: 'must be the captured amount, 599.98 USD (59998 minor units), or left out', captured_amount_minor: 59998 },
      ]);
    }
  });
});

describe('events and view', () => {
  it('announces captures, declines and refunds keyed by the order, with ids derived from the change', () => {
    const cap = captured(pending(), 'ch_1', T);
    const e = paymentEvent(cap)!;
    expect(e).toMatchObject({
      id: `payment.captured:${cap.paymentId}`,
      type: 'payment.captured',
      source: 'payments',
      subject: 'ord_1',
      data: { order_id: 'ord_1', payment_id: cap.paymentId, amount_minor: 59998, currency: 'USD', provider_reference: 'ch_1' },
    });
    expect(paymentEvent(declined(pending(), 'insufficient_funds', 'no', T))!.data).toMatchObject({ decline_code: 'insufficient_funds' });
    expect(paymentEvent(refunded(cap, 're_1', 'confirm', T))!.data).toMatchObject({ reason: 'confirm', refund_reference: 're_1' });
    expect(paymentEvent(pending())).toBeUndefined();
    expect(paymentEvent(failed(pending(), 'timeout', 't', T))).toBeUndefined();
  });

  it('shows money in minor and major units', () => {
    expect(paymentView(captured(pending(), 'ch_1', T))).toMatchObject({ amount_minor: 59998, amount: 599.98, currency: 'USD', status: 'CAPTURED', provider_reference: 'ch_1' });
  });
});
