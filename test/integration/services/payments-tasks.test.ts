/**
 * The Payments task function through the Lambda API on the local cloud, as the saga calls it
 * (statemachines/README.md): charge's and refund's results, the error names the state machine
 * catches, idempotency by order (a repeated or concurrent charge calls the provider once), the
 * refund of an order never charged, and the saga's fault injection for the payment step.
 */
import { uniqueId } from '../../support/local-cloud';
import { CARDS, invokeTask, providerStats } from '../../support/payments';

const chargeInput = (orderId: string, card: string = CARDS.approve, extra: Record<string, unknown> = {}) => ({
  action: 'charge',
  order_id: orderId,
  user_id: 'user123',
  amount_minor: 59998,
  currency: 'USD',
  payment_method: { card_number: card },
  correlation_id: `saga-${orderId}`,
  ...extra,
});

describe('charge', () => {
  it("answers the contract's result, and the same result again without a second provider call", async () => {
    const orderId = uniqueId('ord');
    const before = await providerStats();
    const first = await invokeTask(chargeInput(orderId));
    expect(first.error).toBeUndefined();
    expect(Object.keys(first.body).sort()).toEqual(['amount_minor', 'currency', 'payment_id', 'provider_reference', 'status']);
    expect(first.body).toEqual({ payment_id: expect.stringMatching(/^pay_/), status: 'CAPTURED', amount_minor: 59998, currency: 'USD', provider_reference: expect.stringMatching(/^ch_/) });
    const again = await invokeTask(chargeInput(orderId));
    expect(again.body).toEqual(first.body);
    expect((await providerStats()).calls.charge - before.calls.charge).toBe(1);
  });

  it('calls the provider once for concurrent charges of one order', async () => {
    const orderId = uniqueId('ord');
    const before = await providerStats();
    const results = await Promise.all(Array.from({ length: 4 }, () => invokeTask(chargeInput(orderId))));
    expect(results.every((r) => r.error === undefined && r.body.status === 'CAPTURED')).toBe(true);
    expect(new Set(results.map((r) => r.body.provider_reference)).size).toBe(1);
    expect((await providerStats()).calls.charge - before.calls.charge).toBe(1);
  });

  it.each([
    [CARDS.declined, 'card_declined'],
    [CARDS.insufficientFunds, 'insufficient_funds'],
    [CARDS.expired, 'expired_card'],
  ])('fails a declined card %s with PaymentDeclinedError naming %s', async (card, code) => {
    const out = await invokeTask(chargeInput(uniqueId('ord'), card));
    expect(out.error).toBe('Unhandled');
    expect(out.body).toMatchObject({ errorType: 'PaymentDeclinedError', errorMessage: `card declined: ${code}` });
  });

  it('fails a provider error with PaymentProviderError (retried by the saga)', async () => {
    const out = await invokeTask(chargeInput(uniqueId('ord'), CARDS.providerError));
    expect(out.body).toMatchObject({ errorType: 'PaymentProviderError', errorMessage: 'the payment provider failed the charge (HTTP 500 processing_error)' });
  });

  it('fails bad input and an unknown action with ValidationError', async () => {
    const bad = await invokeTask(chargeInput(uniqueId('ord'), CARDS.approve, { amount_minor: -1, currency: 'ZZZ' }));
    expect(bad.body).toMatchObject({ errorType: 'ValidationError', errorMessage: 'task input is invalid' });
    const unknown = await invokeTask({ action: 'capture', order_id: 'o' });
    expect(unknown.body).toMatchObject({ errorType: 'ValidationError', errorMessage: 'unknown task action' });
  });

  it("applies the saga's fault for the payment step, and ignores one for another step", async () => {
    const faulty = await invokeTask(chargeInput(uniqueId('ord'), CARDS.approve, { fault: { step: 'payment', kind: 'error' } }));
    expect(faulty.body).toMatchObject({ errorType: 'InjectedFaultError' });
    const other = await invokeTask(chargeInput(uniqueId('ord'), CARDS.approve, { fault: { step: 'confirm', kind: 'crash' } }));
    expect(other.body.status).toBe('CAPTURED');
  });
});

describe('refund', () => {
  it("refunds the order's capture once: the contract's result twice, one provider refund", async () => {
    const orderId = uniqueId('ord');
    const charged = await invokeTask(chargeInput(orderId));
    const before = await providerStats();
    const first = await invokeTask({ action: 'refund', order_id: orderId, reason: 'confirm', correlation_id: 'c' });
    expect(first).toEqual({ error: undefined, body: { payment_id: charged.body.payment_id, status: 'REFUNDED' } });
    const again = await invokeTask({ action: 'refund', order_id: orderId, reason: 'confirm', correlation_id: 'c' });
    expect(again.body).toEqual(first.body);
    expect((await providerStats()).calls.refund - before.calls.refund).toBe(1);
  });

  it('has nothing to refund for a declined charge', async () => {
    const orderId = uniqueId('ord');
    await invokeTask(chargeInput(orderId, CARDS.declined));
    expect((await invokeTask({ action: 'refund', order_id: orderId, reason: 'payment', correlation_id: 'c' })).body).toMatchObject({ status: 'NOTHING_TO_REFUND' });
  });

  it('has nothing to refund for an order never charged, and then refuses a late charge of it (PaymentStateError)', async () => {
    const orderId = uniqueId('ord');
    const before = await providerStats();
    const out = await invokeTask({ action: 'refund', order_id: orderId, reason: 'reserve', correlation_id: 'c' });
    expect(out.body).toEqual({ payment_id: expect.stringMatching(/^pay_/), status: 'NOTHING_TO_REFUND' });
    const late = await invokeTask(chargeInput(orderId));
    expect(late.body).toMatchObject({ errorType: 'PaymentStateError' });
    expect((await providerStats()).calls.charge).toBe(before.calls.charge);
  });
});
