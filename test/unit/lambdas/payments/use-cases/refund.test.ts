/** Refunds on in-memory adapters: full and once, through the breaker, asking the provider when an outcome is unknown. */
import { CircuitOpenError } from '../../../../../lambdas/payments/domain/errors';
import { paymentIdFor, type ChargeRequest } from '../../../../../lambdas/payments/domain/payment';
import { ValidationError } from '../../../../../lambdas/shared/errors';
import { chargeOrder } from '../../../../../lambdas/payments/use-cases/charge';
import { refundPayment } from '../../../../../lambdas/payments/use-cases/refund';
import { until } from '../../../../support/poll';
import { world } from './fixtures';

const order = (orderId: string, cardNumber = '4242424242424242'): ChargeRequest => ({ orderId, amountMinor: 4200, currency: 'EUR', cardNumber });

describe('refundPayment', () => {
  it('refunds a capture once: the second refund answers the first, with one provider refund and one event', async () => {
    const w = world();
    await chargeOrder(w.deps, order('r1'));
    const first = await refundPayment(w.deps, { target: { orderId: 'r1' }, reason: 'confirm' });
    expect(first).toMatchObject({ outcome: 'REFUNDED', replayed: false, payment: { status: 'REFUNDED', refund: { reference: 're_2', amountMinor: 4200, reason: 'confirm' } } });
    const second = await refundPayment(w.deps, { target: { paymentId: paymentIdFor('r1') }, reason: 'again' });
    expect(second).toMatchObject({ outcome: 'REFUNDED', replayed: true, payment: { refund: { reason: 'confirm' } } });
    expect(w.provider.count('refund')).toBe(1);
    expect(w.payments.events.map((e) => e.type)).toEqual(['payment.captured', 'payment.refunded']);
    expect(w.recorded).toContain('refunded 4200 EUR');
  });

  it('has nothing to refund for a decline, and nothing to call', async () => {
    const w = world();
    await chargeOrder(w.deps, order('r2', '4000000000000002'));
    expect(await refundPayment(w.deps, { target: { orderId: 'r2' }, reason: 'payment' })).toMatchObject({ outcome: 'NOTHING_TO_REFUND', payment: { status: 'DECLINED' } });
    expect(w.provider.count('refund') + w.provider.count('find')).toBe(0);
  });

  it('answers an unknown payment id with nothing (the API says 404)', async () => {
    expect(await refundPayment(world().deps, { target: { paymentId: 'pay_nope' }, reason: 'x' })).toBeUndefined();
  });

  it('asks the provider by key about a timed-out charge: captured there, it is recorded and refunded', async () => {
    const w = world();
    w.provider.loseNextAnswer = true;
    await expect(chargeOrder(w.deps, order('r3'))).rejects.toMatchObject({ reason: 'timeout' });
    const out = await refundPayment(w.deps, { target: { orderId: 'r3' }, reason: 'payment' });
    expect(out).toMatchObject({ outcome: 'REFUNDED', payment: { status: 'REFUNDED', providerReference: 'ch_1' } });
    expect(w.provider.calls.map((c) => c.op)).toEqual(['charge', 'find', 'refund']);
    expect(w.payments.events.map((e) => e.type)).toEqual(['payment.captured', 'payment.refunded']);
  });

  it('voids a timed-out charge the provider never made, so a late retry cannot capture', async () => {
    const w = world();
    w.provider.outage = 'timeout';
    await expect(chargeOrder(w.deps, order('r4'))).rejects.toMatchObject({ reason: 'timeout' });
    w.provider.outage = undefined;
    expect(await refundPayment(w.deps, { target: { orderId: 'r4' }, reason: 'payment' })).toMatchObject({ outcome: 'NOTHING_TO_REFUND', payment: { status: 'VOIDED' } });
    expect(w.provider.count('find')).toBe(1);
    await expect(chargeOrder(w.deps, order('r4'))).rejects.toMatchObject({ name: 'PaymentStateError' });
  });

  it('refuses a partial amount, and fails fast while the circuit is open', async () => {
    const w = world();
    await chargeOrder(w.deps, order('r5'));
    await expect(refundPayment(w.deps, { target: { orderId: 'r5' }, reason: 'x', amountMinor: 100 })).rejects.toBeInstanceOf(ValidationError);
    w.breaker.record = { state: 'open', failures: 5, openedAt: w.clock.t, generation: 7, opened: 1 };
    await expect(refundPayment(w.deps, { target: { orderId: 'r5' }, reason: 'x' })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(w.provider.count('refund')).toBe(0);
    expect((await w.payments.get(paymentIdFor('r5')))!.status).toBe('CAPTURED');
  });

  it('waits for a charge in progress, then refunds what it captured', async () => {
    const w = world();
    let release!: () => void;
    w.provider.gate = new Promise((r) => (release = r));
    const charging = chargeOrder(w.deps, order('r6'));
    await until('the charge at the provider', () => w.provider.count('charge') === 1);
    const refunding = refundPayment(w.deps, { target: { orderId: 'r6' }, reason: 'confirm' });
    await until('the refund waiting for the charge', () => w.waits.count > 0);
    release();
    await charging;
    expect(await refunding).toMatchObject({ outcome: 'REFUNDED' });
  });
});
