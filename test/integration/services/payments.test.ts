/**
 * The Payments API on the local cloud, deployed from the real template, against the simulated
 * provider: each test card, the decline's shape, one payment per order, Idempotency-Key (same
 * key: the first answer; same key with another body: 422), full refunds only and once, a charge
 * whose outcome was unknown refunded after asking the provider, and bad input.
 */
import { paymentIdFor } from '../../../lambdas/payments/domain/payment';
import { call, uniqueId } from '../../support/local-cloud';
import { CARDS, providerStats, setProvider } from '../../support/payments';
import { eventually } from '../../support/poll';

const pay = (orderId: string, card: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  call('/api/payments', { body: { order_id: orderId, amount: 25.5, currency: 'USD', payment_method: { card_number: card }, ...extra }, headers });

describe('charging', () => {
  it('captures with the approving card: 201, Location, the payment readable by id', async () => {
    const orderId = uniqueId('ord');
    const res = await pay(orderId, CARDS.approve, { user_id: 'user-1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      payment_id: expect.stringMatching(/^pay_[0-9a-f]{32}$/),
      order_id: orderId,
      user_id: 'user-1',
      status: 'CAPTURED',
      amount_minor: 2550,
      amount: 25.5,
      currency: 'USD',
      card: { brand: 'visa', last4: '4242' },
      provider_reference: expect.stringMatching(/^ch_/),
      attempts: 1,
    });
    expect(res.headers.get('location')).toBe(`/api/payments/${res.body.payment_id}`);
    const read = await call(`/api/payments/${res.body.payment_id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it.each([
    [CARDS.declined, 'card_declined'],
    [CARDS.insufficientFunds, 'insufficient_funds'],
    [CARDS.expired, 'expired_card'],
  ])('answers card %s with 402 and the decline code %s in details; a repeat answers the same decline', async (card, code) => {
    const orderId = uniqueId('ord');
    const res = await pay(orderId, card);
    expect(res.status).toBe(402);
    expect(res.body).toEqual({
      error: {
        code: 'payment_declined',
        message: `card declined: ${code}`,
        details: [{ field: 'payment_method.card_number', decline_code: code, payment_id: expect.stringMatching(/^pay_/), message: expect.any(String) }],
      },
    });
    const paymentId = res.body.error.details[0].payment_id;
    expect((await call(`/api/payments/${paymentId}`)).body).toMatchObject({ status: 'DECLINED', decline_code: code });
    const before = await providerStats();
    expect((await pay(orderId, card)).status).toBe(402);
    expect((await providerStats()).calls.charge).toBe(before.calls.charge);
  });

  it('answers a provider error with 502 and records the payment FAILED; a retry charges again under the same key', async () => {
    const orderId = uniqueId('ord');
    const res = await pay(orderId, CARDS.providerError);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'payment_provider_error', details: [{ message: 'provider_error' }] });
    const retry = await pay(orderId, CARDS.approve);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ status: 'CAPTURED', attempts: 2 });
  });

  it('times out on the slow card (502); its refund asks the provider by key and refunds once the provider has charged', async () => {
    await setProvider({ slow_ms: 6_500 });
    try {
      const orderId = uniqueId('ord');
      const started = Date.now();
      const res = await pay(orderId, CARDS.slow);
      expect(res.status).toBe(502);
      expect(res.body.error.message).toBe('the payment provider did not answer within 5000 ms');
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
      const paymentId = paymentIdFor(orderId);
      expect((await call(`/api/payments/${paymentId}`)).body).toMatchObject({ status: 'FAILED', failure: { reason: 'timeout' } });
      const refunded = await eventually(
        'the refund to find the slow charge captured at the provider',
        async () => {
          const r = await call(`/api/payments/${paymentId}/refund`, { method: 'POST' });
          return r.status === 200 ? r.body : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      expect(refunded).toMatchObject({ status: 'REFUNDED', provider_reference: expect.stringMatching(/^ch_/), refund: { amount_minor: 2550 } });
    } finally {
      await setProvider({ slow_ms: 15_000 });
    }
  });

  it('rejects a charge of the same order for another amount with 409', async () => {
    const orderId = uniqueId('ord');
    expect((await pay(orderId, CARDS.approve)).status).toBe(201);
    const other = await pay(orderId, CARDS.approve, { amount: 30 });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'payment_mismatch', details: [expect.objectContaining({ field: 'amount_minor' })] });
  });
});

describe('one payment per order', () => {
  it('answers a second POST for the order with the first payment (200) and charges nothing', async () => {
    const orderId = uniqueId('ord');
    const before = await providerStats();
    const first = await pay(orderId, CARDS.approve);
    const second = await pay(orderId, CARDS.approve);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await providerStats()).calls.charge - before.calls.charge).toBe(1);
  });

  it('makes one provider call for concurrent POSTs of one order', async () => {
    const orderId = uniqueId('ord');
    const before = await providerStats();
    const all = await Promise.all(Array.from({ length: 5 }, () => pay(orderId, CARDS.approve)));
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(all.map((r) => r.body.payment_id)).size).toBe(1);
    expect((await providerStats()).calls.charge - before.calls.charge).toBe(1);
  });
});

describe('Idempotency-Key', () => {
  it('answers a retry with the same key and body with the first response, marked as replayed', async () => {
    const key = uniqueId('key');
    const orderId = uniqueId('ord');
    const first = await pay(orderId, CARDS.approve, {}, { 'Idempotency-Key': key });
    const again = await pay(orderId, CARDS.approve, {}, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses the same key with another body with 422', async () => {
    const key = uniqueId('key');
    expect((await pay(uniqueId('ord'), CARDS.approve, {}, { 'Idempotency-Key': key })).status).toBe(201);
    const other = await pay(uniqueId('ord'), CARDS.approve, {}, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', details: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
  });

  it('refuses a malformed key with 400', async () => {
    const res = await pay(uniqueId('ord'), CARDS.approve, {}, { 'Idempotency-Key': 'x'.repeat(300) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_idempotency_key');
  });
});

describe('refunds', () => {
  it('refunds in full; refunding twice answers the refund; the provider refunds once', async () => {
    const paid = await pay(uniqueId('ord'), CARDS.approve);
    const before = await providerStats();
    const first = await call(`/api/payments/${paid.body.payment_id}/refund`, { body: { reason: 'customer asked' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'REFUNDED', refund: { refund_reference: expect.stringMatching(/^re_/), amount_minor: 2550, reason: 'customer asked' } });
    const second = await call(`/api/payments/${paid.body.payment_id}/refund`, { method: 'POST' });
    expect(second.status).toBe(200);
    expect(second.body.refund).toEqual(first.body.refund);
    expect((await providerStats()).calls.refund - before.calls.refund).toBe(1);
  });

  it('accepts the full amount, refuses a partial one with 422 naming why', async () => {
    const paid = await pay(uniqueId('ord'), CARDS.approve);
    const partial = await call(`/api/payments/${paid.body.payment_id}/refund`, { body: { amount: 10 } });
    expect(partial.status).toBe(422);
    expect(partial.body.error).toEqual({
      code: 'validation_failed',
      message: 'partial refunds are not supported: a refund returns the whole captured amount',
      details: [{ field: 'amount', message: 'must be the captured amount, 25.5 USD (2550 minor units), or left out', captured_amount_minor: 2550 }],
    });
    expect((await call(`/api/payments/${paid.body.payment_id}/refund`, { body: { amount_minor: 2550 } })).status).toBe(200);
  });

  it('refuses to refund a declined payment (409) and an unknown one (404)', async () => {
    const declined = await pay(uniqueId('ord'), CARDS.declined);
    const id = declined.body.error.details[0].payment_id;
    const res = await call(`/api/payments/${id}/refund`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'payment_state', message: 'nothing was captured: the payment is DECLINED, so there is nothing to refund' });
    expect((await call('/api/payments/pay_0000/refund', { method: 'POST' })).status).toBe(404);
  });
});

describe('reads and bad input', () => {
  it('answers an unknown payment with 404, a malformed id with 400', async () => {
    const unknown = await call('/api/payments/pay_00000000000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: 'no payment pay_00000000000000000000000000000000', details: [{ field: 'id', message: 'no such payment' }] } });
    const bad = await call(`/api/payments/${encodeURIComponent('bad id!')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_parameter', details: [expect.objectContaining({ field: 'id' })] });
  });

  it('answers malformed JSON with 400, no body with 400, a non-JSON body with 415', async () => {
    const malformed = await call('/api/payments', { rawBody: '{"order_id": "o', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const none = await call('/api/payments', { method: 'POST' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('missing_body');
    const text = await call('/api/payments', { rawBody: 'order_id=1', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('answers invalid fields with 422 naming each', async () => {
    const res = await call('/api/payments', { body: { amount: -1, currency: 'ZZZ', payment_method: { card_number: '12' }, extra: 1 } });
    expect(res.status).toBe(422);
    const fields = res.body.error.details.map((d: { field?: string }) => d.field ?? '');
    expect(fields).toEqual(expect.arrayContaining(['order_id', 'amount', 'currency', 'payment_method.card_number']));
    expect(JSON.stringify(res.body.error.details)).toContain('extra');
    const noAmount = await pay(uniqueId('ord'), CARDS.approve, { amount: undefined });
    expect(noAmount.status).toBe(422);
    expect(noAmount.body.error.details).toEqual([{ field: 'amount', message: 'required: amount (major units, with currency) or amount_minor (integer minor units)' }]);
    const tooPrecise = await pay(uniqueId('ord'), CARDS.approve, { amount: 1.999 });
    expect(tooPrecise.status).toBe(422);
    expect(tooPrecise.body.error.details[0]).toEqual({ field: 'amount', message: 'amount has more than 2 decimal places for USD' });
    const disagree = await pay(uniqueId('ord'), CARDS.approve, { amount: 1, amount_minor: 200 });
    expect(disagree.body.error.details[0].field).toBe('amount_minor');
  });

  it('answers without a key 403, health without a key 200', async () => {
    expect((await call('/api/payments/pay_x', { key: null })).status).toBe(403);
    const health = await call('/api/payments/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ service: 'payments', status: 'ok', checks: { dynamodb: { status: 'ok' }, redis: { status: 'ok' }, circuit_breaker: { state: expect.stringMatching(/closed|open|half_open/) } } });
  });
});
