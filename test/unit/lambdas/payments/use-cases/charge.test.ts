/** Charging an order on in-memory adapters: once per order, declines as answers, failures through the breaker. */
import { CircuitOpenError, PaymentProviderError, PaymentStateError } from '../../../../../lambdas/payments/domain/errors';
import { paymentIdFor, type ChargeRequest } from '../../../../../lambdas/payments/domain/payment';
import { chargeOrder } from '../../../../../lambdas/payments/use-cases/charge';
import { refundPayment } from '../../../../../lambdas/payments/use-cases/refund';
import { until } from '../../../../support/poll';
import { world } from './fixtures';

const order = (orderId: string, cardNumber = '4242424242424242'): ChargeRequest => ({ orderId, userId: 'user1', amountMinor: 2500, currency: 'USD', cardNumber });

describe('chargeOrder', () => {
  it('captures, writes the payment.captured event with it, and answers a second charge without calling the provider', async () => {
    const w = world();
    const first = await chargeOrder(w.deps, order('o1'));
    expect(first).toMatchObject({ replayed: false, payment: { status: 'CAPTURED', paymentId: paymentIdFor('o1'), providerReference: 'ch_1', attempts: 1 } });
    expect(w.payments.events.map((e) => e.type)).toEqual(['payment.captured']);
    const second = await chargeOrder(w.deps, order('o1'));
    expect(second).toEqual({ replayed: true, payment: first.payment });
    expect(w.provider.count('charge')).toBe(1);
    expect(w.recorded).toEqual(['processed CAPTURED 2500 USD']);
  });

  it('records a decline with its code as an answer: the breaker sees a success, a repeat sees the decline', async () => {
    const w = world();
    const out = await chargeOrder(w.deps, order('o2', '4000000000009995'));
    expect(out.payment).toMatchObject({ status: 'DECLINED', declineCode: 'insufficient_funds' });
    expect(w.payments.events.map((e) => e.type)).toEqual(['payment.declined']);
    expect(w.breaker.transitions).toEqual(['reset']);
    expect((await chargeOrder(w.deps, order('o2', '4000000000009995'))).replayed).toBe(true);
    expect(w.provider.count('charge')).toBe(1);
    expect(w.recorded).toEqual(['processed DECLINED 2500 USD', 'failed insufficient_funds']);
  });

  it('makes one provider call for two concurrent charges of one order; the second answers the first', async () => {
    const w = world();
    let release!: () => void;
    w.provider.gate = new Promise((r) => (release = r));
    const a = chargeOrder(w.deps, order('o3'));
    const b = chargeOrder(w.deps, order('o3'));
    // one is at the provider's gate, the other waits for it
    await until('one charge at the provider and one waiting', () => w.provider.count('charge') === 1 && w.waits.count > 0);
    release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(w.provider.count('charge')).toBe(1);
    expect(ra.payment.paymentId).toBe(rb.payment.paymentId);
    expect([ra.replayed, rb.replayed].sort()).toEqual([false, true]);
    expect(rb.payment.status).toBe('CAPTURED');
    expect(w.payments.events).toHaveLength(1);
  });

  it('records a provider failure, counts it against the breaker, and lets a retry charge again under the same key', async () => {
    const w = world();
    w.provider.outage = 'provider_error';
    await expect(chargeOrder(w.deps, order('o4'))).rejects.toMatchObject({ name: 'PaymentProviderError', reason: 'provider_error' });
    expect(await w.payments.get(paymentIdFor('o4'))).toMatchObject({ status: 'FAILED', failure: { reason: 'provider_error' }, uncertain: true });
    expect(w.breaker.record.failures).toBe(1);
    w.provider.outage = undefined;
    const retry = await chargeOrder(w.deps, order('o4'));
    expect(retry.payment).toMatchObject({ status: 'CAPTURED', attempts: 2 });
    expect(w.provider.calls.map((c) => c.key)).toEqual([paymentIdFor('o4'), paymentIdFor('o4')]);
    expect(w.breaker.record.failures).toBe(0);
  });

  it('opens the circuit after five failures; then fails fast without calling the provider, recording why', async () => {
    const w = world();
    w.provider.outage = 'timeout';
    for (let i = 0; i < 5; i++) await expect(chargeOrder(w.deps, order(`o5-${i}`))).rejects.toBeInstanceOf(PaymentProviderError);
    expect(w.breaker.record.state).toBe('open');
    const calls = w.provider.calls.length;
    const err = await chargeOrder(w.deps, order('o5-x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect((err as CircuitOpenError).retryAfterSeconds).toBe(60);
    expect(w.provider.calls.length).toBe(calls);
    expect(await w.payments.get(paymentIdFor('o5-x'))).toMatchObject({ status: 'FAILED', failure: { reason: 'circuit_open' }, uncertain: false });

    // after the open time one trial goes through; its success closes the circuit
    w.provider.outage = undefined;
    w.clock.t += 60_000;
    expect((await chargeOrder(w.deps, order('o5-x'))).payment.status).toBe('CAPTURED');
    expect(w.breaker.record.state).toBe('closed');
  });

  it('waits for an attempt in progress elsewhere and answers its outcome', async () => {
    const w = world();
    let release!: () => void;
    w.provider.gate = new Promise((r) => (release = r));
    const owner = chargeOrder(w.deps, order('o6'));
    await until('the owner at the provider', () => w.provider.count('charge') === 1);
    const waiter = chargeOrder(w.deps, order('o6'));
    await until('the second caller waiting', () => w.waits.count > 0);
    release();
    expect((await waiter).payment.status).toBe('CAPTURED');
    await owner;
    expect(w.provider.count('charge')).toBe(1);
  });

  it('takes over an attempt whose owner died (its lease passed) and asks the provider under the same key', async () => {
    const w = world();
    w.provider.loseNextAnswer = true; // the provider charged; the caller never learned it
    await expect(chargeOrder(w.deps, order('o7'))).rejects.toMatchObject({ reason: 'timeout' });
    const retry = await chargeOrder(w.deps, order('o7'));
    expect(retry.payment).toMatchObject({ status: 'CAPTURED', providerReference: 'ch_1', attempts: 2 });
    expect(w.provider.charges.size).toBe(1);
  });

  it('refuses to charge an order whose payment was voided by an earlier refund', async () => {
    const w = world();
    expect(await refundPayment(w.deps, { target: { orderId: 'o8' }, reason: 'reserve' })).toMatchObject({ outcome: 'NOTHING_TO_REFUND', payment: { status: 'VOIDED' } });
    await expect(chargeOrder(w.deps, order('o8'))).rejects.toBeInstanceOf(PaymentStateError);
    expect(w.provider.count('charge')).toBe(0);
  });
});
