/**
 * Payments' HTTP provider adapter against the simulated provider: outcomes and failure reasons
 * as the use cases need them (approved, declined with its code, provider_error, timeout,
 * in_progress), the payment id as idempotency key (a repeated charge or refund is answered, not
 * made again), the lookup by key, and the API key read again when the provider refuses it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpPaymentProvider } from '../../../../lambdas/payments/adapters/http/payment-provider';
import { PaymentProviderError } from '../../../../lambdas/payments/domain/errors';
import { createPaymentProvider, type ApiKeySource, type PaymentProvider as Simulator } from '../../../../local/payment-provider';
import { until } from '../../../support/poll';

let sim: Simulator;
let dataDir: string;
let currentKey = 'key-1';
const source: ApiKeySource = async () => currentKey;
let seq = 0;
const key = () => `pay_${Date.now()}_${seq++}`;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-adapter-'));
  sim = await createPaymentProvider({ dataDir, apiKey: source, config: { slow_ms: 600 } });
});

afterAll(async () => {
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const adapter = (o: { timeoutMs?: number; baseUrl?: string } = {}) =>
  new HttpPaymentProvider({ baseUrl: o.baseUrl ?? sim.url, timeoutMs: o.timeoutMs ?? 2000, apiKey: async () => currentKey });

const charge = (p: HttpPaymentProvider, card: string, idempotencyKey = key()) => p.charge({ idempotencyKey, amountMinor: 1234, currency: 'EUR', cardNumber: card, orderId: 'ord-1' });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as PaymentProviderError);

describe('the HTTP provider adapter', () => {
  it('answers an approval with the charge id and card, and the same charge for a repeated key', async () => {
    const p = adapter();
    const k = key();
    const first = await charge(p, '4242424242424242', k);
    expect(first).toEqual({ outcome: 'approved', reference: expect.stringMatching(/^ch_/), card: { brand: 'visa', last4: '4242' } });
    expect(await charge(p, '4242424242424242', k)).toEqual(first);
  });

  it('answers a decline with its code and message', async () => {
    expect(await charge(adapter(), '4000000000009995')).toEqual({ outcome: 'declined', code: 'insufficient_funds', message: 'Your card has insufficient funds.', reference: expect.stringMatching(/^ch_/) });
  });

  it('fails a 5xx, an outage and an unreachable provider with provider_error', async () => {
    expect(await failure(charge(adapter(), '4000000000000119'))).toMatchObject({ reason: 'provider_error', message: 'the payment provider failed the charge (HTTP 500 processing_error)' });
    sim.setConfig({ failure_rate: 1 });
    try {
      expect(await failure(charge(adapter(), '4242424242424242'))).toMatchObject({ reason: 'provider_error' });
    } finally {
      sim.setConfig({ failure_rate: 0 });
    }
    expect(await failure(charge(adapter({ baseUrl: 'http://127.0.0.1:1' }), '4242424242424242'))).toMatchObject({ reason: 'provider_error', message: 'the payment provider could not be reached' });
  });

  it('times out on a slow answer; the lookup by key says in progress, then finds the charge', async () => {
    const k = key();
    const err = await failure(charge(adapter({ timeoutMs: 150 }), '4000000000000077', k));
    expect(err).toBeInstanceOf(PaymentProviderError);
    expect(err).toMatchObject({ reason: 'timeout', message: 'the payment provider did not answer within 150 ms' });
    const p = adapter();
    expect(await failure(p.findCharge(k))).toMatchObject({ reason: 'in_progress' });
    await until('the slow charge to complete', async () => (await p.findCharge(k).catch(() => undefined))?.outcome === 'approved');
    expect(await p.findCharge(key())).toEqual({ outcome: 'not_found' });
  });

  it('refunds under the payment id: a repeat is the same refund', async () => {
    const p = adapter();
    const k = key();
    const c = await charge(p, '4242424242424242', k);
    if (c.outcome !== 'approved') throw new Error('expected an approval');
    const r = await p.refund({ idempotencyKey: k, reference: c.reference, amountMinor: 1234, reason: 'test' });
    expect(r.reference).toMatch(/^re_/);
    expect(await p.refund({ idempotencyKey: k, reference: c.reference, amountMinor: 1234, reason: 'test' })).toEqual(r);
  });

  it('reads the key again when the provider refuses it, once', async () => {
    currentKey = 'rotated-key';
    try {
      // the cached key is stale; the fresh read gets the rotated one
      const reads: boolean[] = [];
      const rotating = new HttpPaymentProvider({
        baseUrl: sim.url,
        timeoutMs: 2000,
        apiKey: async (fresh) => {
          reads.push(fresh);
          return fresh ? 'rotated-key' : 'stale-key';
        },
      });
      expect((await charge(rotating, '4242424242424242')).outcome).toBe('approved');
      expect(reads).toEqual([false, true]);
      // a key that stays wrong: refused after one fresh read
      reads.length = 0;
      const wrong = new HttpPaymentProvider({ baseUrl: sim.url, timeoutMs: 2000, apiKey: async (fresh) => (reads.push(fresh), 'wrong') });
      expect(await failure(charge(wrong, '4242424242424242'))).toMatchObject({ reason: 'unauthorized' });
      expect(reads).toEqual([false, true]);
    } finally {
      currentKey = 'key-1';
    }
  });
});
