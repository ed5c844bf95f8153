/**
 * The payment provider simulator over HTTP: the test cards, idempotency keys (replay, in progress,
 * reuse with other parameters), the lookup by key, refunds, the API key checked against a secret
 * in the local Secrets Manager (rotation included), the outage and latency settings, the call
 * counters, and charges that survive a restart.
 */
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPaymentProvider, secretsManagerApiKey, staticApiKey, type PaymentProvider } from '../../../../local/payment-provider';
import { startSecretsManagerServer, type SecretsManagerServer } from '../../../../local/secretsmanager';
import { until } from '../../../support/poll';

const KEY = 'sk_test_provider_key';
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-provider-test-'));
  dirs.push(d);
  return d;
};

let provider: PaymentProvider;
let dataDir: string;
let seq = 0;
const key = () => `key-${Date.now()}-${seq++}`;

async function call(method: string, p: string, o: { body?: unknown; idempotencyKey?: string; apiKey?: string | null; base?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.apiKey !== null) headers.authorization = `Bearer ${o.apiKey ?? KEY}`;
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
  const res = await fetch(`${o.base ?? provider.url}${p}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const charge = (card: string, k = key(), amount = 1999) => call('POST', '/v1/charges', { idempotencyKey: k, body: { amount, currency: 'usd', card_number: card } });

beforeAll(async () => {
  dataDir = tempDir();
  provider = await createPaymentProvider({ dataDir, apiKey: staticApiKey(KEY), config: { slow_ms: 400 } });
});

afterAll(async () => {
  await provider.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('test cards', () => {
  it('approves 4242… and keeps the card brand and last four digits', async () => {
    const res = await charge('4242424242424242');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'charge', id: expect.stringMatching(/^ch_/), status: 'succeeded', amount: 1999, currency: 'usd', amount_refunded: 0, card: { brand: 'visa', last4: '4242' } });
    expect(res.body.request_hash).toBeUndefined();
  });

  it.each([
    ['4000000000000002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000001', 'incorrect_number'],
  ])('declines %s with 402 %s, and keeps the declined charge', async (card, code) => {
    const res = await charge(card);
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ type: 'card_error', code, decline_code: code, message: expect.any(String), charge: expect.stringMatching(/^ch_/) });
    const kept = await call('GET', `/v1/charges/${res.body.error.charge}`);
    expect(kept.body).toMatchObject({ status: 'failed', failure_code: code });
  });

  it('answers 4000…0119 with a 500 processing error and keeps nothing under the key', async () => {
    const k = key();
    const res = await charge('4000000000000119', k);
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ type: 'api_error', code: 'processing_error' });
    expect((await call('GET', `/v1/charges?idempotency_key=${k}`)).body).toEqual({ object: 'list', data: [] });
  });

  it('approves another Luhn-valid number (Mastercard)', async () => {
    expect((await charge('5555555555554444')).body).toMatchObject({ status: 'succeeded', card: { brand: 'mastercard', last4: '4444' } });
  });

  it('answers the slow card after slow_ms: a retry meanwhile is 409 in progress, and so is the lookup; then both find the charge', async () => {
    const k = key();
    const started = Date.now();
    const slow = charge('4000000000000077', k);
    await until('the slow charge to be in flight', async () => (await call('GET', `/v1/charges?idempotency_key=${k}`)).status === 409);
    const retry = await charge('4000000000000077', k);
    expect(retry.status).toBe(409);
    expect(retry.body.error).toMatchObject({ type: 'idempotency_error', code: 'request_in_progress' });
    const done = await slow;
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(done.body).toMatchObject({ status: 'succeeded' });
    const found = await call('GET', `/v1/charges?idempotency_key=${k}`);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([done.body.id]);
  });
});

describe('idempotency keys', () => {
  it('answers a retry with the first charge and charges nothing more', async () => {
    const k = key();
    const before = provider.stats();
    const a = await charge('4242424242424242', k);
    const b = await charge('4242424242424242', k);
    expect(b.body.id).toBe(a.body.id);
    const after = provider.stats();
    expect(after.calls.charge - before.calls.charge).toBe(2);
    expect((after.outcomes.approved ?? 0) - (before.outcomes.approved ?? 0)).toBe(1);
    expect((after.outcomes.replayed ?? 0) - (before.outcomes.replayed ?? 0)).toBe(1);
  });

  it('answers a declined key with the same decline', async () => {
    const k = key();
    const a = await charge('4000000000000002', k);
    const b = await charge('4000000000000002', k);
    expect(b.status).toBe(402);
    expect(b.body.error.charge).toBe(a.body.error.charge);
  });

  it('refuses a key reused with other parameters, and a charge without a key', async () => {
    const k = key();
    await charge('4242424242424242', k, 100);
    const other = await charge('4242424242424242', k, 200);
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const none = await call('POST', '/v1/charges', { body: { amount: 1, currency: 'usd', card_number: '4242424242424242' } });
    expect(none.body.error.code).toBe('idempotency_key_missing');
  });

  it('validates the charge', async () => {
    const bad = await call('POST', '/v1/charges', { idempotencyKey: key(), body: { amount: 1.5, currency: 'usd', card_number: '4242424242424242' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'amount' });
  });
});

describe('refunds', () => {
  it('refunds a charge in full once; a retry with the key answers the same refund; another refund is refused', async () => {
    const c = (await charge('4242424242424242', key(), 5000)).body;
    const k = key();
    const r = await call('POST', '/v1/refunds', { idempotencyKey: k, body: { charge: c.id, reason: 'requested' } });
    expect(r.body).toMatchObject({ object: 'refund', id: expect.stringMatching(/^re_/), charge: c.id, amount: 5000, status: 'succeeded' });
    expect((await call('POST', '/v1/refunds', { idempotencyKey: k, body: { charge: c.id, reason: 'requested' } })).body.id).toBe(r.body.id);
    const again = await call('POST', '/v1/refunds', { idempotencyKey: key(), body: { charge: c.id } });
    expect(again.body.error.code).toBe('charge_already_refunded');
    expect((await call('GET', `/v1/charges/${c.id}`)).body).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect((await call('GET', `/v1/refunds/${r.body.id}`)).body.amount).toBe(5000);
  });

  it('refunds part of a charge up to what is left, and refuses a declined or unknown charge', async () => {
    const c = (await charge('4242424242424242', key(), 1000)).body;
    expect((await call('POST', '/v1/refunds', { idempotencyKey: key(), body: { charge: c.id, amount: 400 } })).body.amount).toBe(400);
    expect((await call('POST', '/v1/refunds', { idempotencyKey: key(), body: { charge: c.id, amount: 700 } })).body.error.code).toBe('amount_too_large');
    const declined = (await charge('4000000000000002')).body.error.charge;
    expect((await call('POST', '/v1/refunds', { idempotencyKey: key(), body: { charge: declined } })).body.error.code).toBe('charge_not_captured');
    expect((await call('POST', '/v1/refunds', { idempotencyKey: key(), body: { charge: 'ch_nope' } })).status).toBe(404);
  });
});

describe('the simulation settings', () => {
  afterEach(() => provider.setConfig({ failure_rate: 0, latency_ms: 0 }));

  it('fails every call with 503 at failure_rate 1, counting each call', async () => {
    const put = await fetch(`${provider.url}/_sim/config`, { method: 'PUT', body: JSON.stringify({ failure_rate: 1 }) });
    expect(await put.json()).toMatchObject({ failure_rate: 1 });
    await fetch(`${provider.url}/_sim/stats`, { method: 'DELETE' });
    for (let i = 0; i < 3; i++) {
      const res = await charge('4242424242424242');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
    }
    const stats = (await (await fetch(`${provider.url}/_sim/stats`)).json()) as { calls: { charge: number }; total: number; outcomes: { outage: number } };
    expect(stats).toMatchObject({ calls: { charge: 3 }, total: 3, outcomes: { outage: 3 } });
  });

  it('adds latency to every call', async () => {
    provider.setConfig({ latency_ms: 250 });
    const started = Date.now();
    await charge('4242424242424242');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses a bad setting with 400', async () => {
    const res = await fetch(`${provider.url}/_sim/config`, { method: 'PUT', body: JSON.stringify({ failure_rate: 2, speed: 1 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('failure_rate must be a number from 0 to 1; unknown setting speed; expected failure_rate, latency_ms, slow_ms');
  });
});

describe('the API key from Secrets Manager', () => {
  let sm: SecretsManagerServer;
  let client: SecretsManagerClient;
  let guarded: PaymentProvider;

  beforeAll(async () => {
    sm = await startSecretsManagerServer({ dataDir: tempDir(), region: 'us-east-1', accountId: '000000000000' });
    client = new SecretsManagerClient({ endpoint: sm.url, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
    guarded = await createPaymentProvider({ dataDir: tempDir(), apiKey: secretsManagerApiKey({ endpoint: sm.url, region: 'us-east-1', secretId: 'platform/provider-key' }) });
  });

  afterAll(async () => {
    client.destroy();
    await guarded.close();
    await sm.close();
  });

  const chargeWith = (apiKey: string | null) =>
    call('POST', '/v1/charges', { base: guarded.url, apiKey, idempotencyKey: key(), body: { amount: 100, currency: 'usd', card_number: '4242424242424242' } });

  it('refuses every key until the secret exists, then accepts its value only', async () => {
    expect((await chargeWith('anything')).status).toBe(401);
    await client.send(new CreateSecretCommand({ Name: 'platform/provider-key', SecretString: 'first-key' }));
    await until('the new secret to be read', async () => (await chargeWith('first-key')).status === 200);
    const wrong = await chargeWith('not-the-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
    expect((await chargeWith(null)).status).toBe(401);
  });

  it('follows a rotation of the secret', async () => {
    await client.send(new PutSecretValueCommand({ SecretId: 'platform/provider-key', SecretString: 'second-key' }));
    await until('the rotated key to be accepted', async () => (await chargeWith('second-key')).status === 200);
    expect((await chargeWith('first-key')).status).toBe(401);
  });
});

describe('persistence', () => {
  it('finds charges, refunds and idempotency keys again after a restart', async () => {
    const k = key();
    const c = (await charge('4242424242424242', k)).body;
    const r = (await call('POST', '/v1/refunds', { idempotencyKey: key(), body: { charge: c.id, amount: 500 } })).body;
    await provider.close();
    provider = await createPaymentProvider({ dataDir, apiKey: staticApiKey(KEY) });
    expect((await call('GET', `/v1/charges/${c.id}`)).body).toMatchObject({ id: c.id, amount_refunded: 500 });
    expect((await call('GET', `/v1/refunds/${r.id}`)).body.id).toBe(r.id);
    expect((await charge('4242424242424242', k)).body.id).toBe(c.id);
  });
});
