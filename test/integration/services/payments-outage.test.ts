/**
 * A provider outage on the local cloud, driven from outside: the simulated provider fails every
 * call (failure rate 1); five failed charges open the circuit breaker (its state in Redis); later
 * charges fail fast with CircuitOpenError without calling the provider (the simulator counts
 * calls); after the open time (shortened with UpdateFunctionConfiguration) one trial goes
 * through: a failed trial re-opens the circuit, a successful one closes it. The breaker is one
 * for every function: opened by the task function's failures, it makes the API answer 503 with
 * Retry-After too. Both functions get a breaker of its own name for the test, so no other test's
 * payments share its state, and their environments are put back afterwards.
 */
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { circuitKey } from '../../../lambdas/payments/adapters/redis/circuit-breaker';
import { call, endpoints, uniqueId } from '../../support/local-cloud';
import { CARDS, invokeTask, paymentsFunction, providerStats, replaceEnvironment, setProvider, updateEnvironment } from '../../support/payments';
import { eventually } from '../../support/poll';

const OPEN_SECONDS = 3;
const circuit = uniqueId('outage');
let redis: Redis;
const saved: Record<string, Record<string, string>> = {};

const charge = (orderId: string) =>
  invokeTask({ action: 'charge', order_id: orderId, user_id: 'u', amount_minor: 1000, currency: 'USD', payment_method: { card_number: CARDS.approve }, correlation_id: 'outage' });
const breaker = async () => (await redis.hgetall(circuitKey(circuit))) as Record<string, string>;

beforeAll(async () => {
  redis = new Redis(endpoints().services.redis!);
  for (const fn of [paymentsFunction('Tasks'), paymentsFunction('Api')]) {
    saved[fn] = await updateEnvironment(fn, { CIRCUIT_NAME: circuit, CIRCUIT_OPEN_SECONDS: String(OPEN_SECONDS) });
  }
});

afterAll(async () => {
  await setProvider({ failure_rate: 0 });
  for (const [fn, variables] of Object.entries(saved)) await replaceEnvironment(fn, variables);
  redis.disconnect();
});

describe('a provider outage', () => {
  it('opens the breaker after 5 failures, fails fast without calling the provider, and recovers through one trial', async () => {
    await setProvider({ failure_rate: 1 });
    for (let i = 0; i < 5; i++) {
      const out = await charge(uniqueId('ord'));
      expect(out.body).toMatchObject({ errorType: 'PaymentProviderError', errorMessage: 'the payment provider failed the charge (HTTP 503 service_unavailable)' });
    }
    expect(await breaker()).toMatchObject({ state: 'open', opened: '1' });

    // open: fail fast, the provider is not called
    const before = await providerStats();
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const out = await charge(uniqueId('ord'));
      expect(out.body).toMatchObject({ errorType: 'CircuitOpenError', errorMessage: expect.stringMatching(/^the payment provider is failing; payments are paused, retry in [1-3] s$/) });
      expect(Date.now() - started).toBeLessThan(2000);
    }
    // the API shares the breaker: 503 with Retry-After, in the platform's error shape
    const api = await call('/api/payments', { body: { order_id: uniqueId('ord'), amount: 10, payment_method: { card_number: CARDS.approve } } });
    expect(api.status).toBe(503);
    expect(Number(api.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(api.headers.get('retry-after'))).toBeLessThanOrEqual(OPEN_SECONDS);
    expect(api.body.error).toMatchObject({ code: 'circuit_open', details: [{ message: 'circuit breaker open', retry_after_seconds: Number(api.headers.get('retry-after')) }] });
    expect(api.headers.get('x-correlation-id')).toBeTruthy();
    expect((await providerStats()).calls.charge).toBe(before.calls.charge);

    // after the open time, still failing: the one trial fails and re-opens the circuit
    const trialFailed = await eventually(
      'the half-open trial (still failing)',
      async () => {
        const out = await charge(uniqueId('ord'));
        return out.body.errorType === 'PaymentProviderError' ? out : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(trialFailed.body.errorType).toBe('PaymentProviderError');
    expect(await breaker()).toMatchObject({ state: 'open', opened: '2' });
    expect((await providerStats()).calls.charge).toBe(before.calls.charge + 1);

    // the provider is back: after the open time one trial succeeds and closes the circuit
    await setProvider({ failure_rate: 0 });
    const recovering = uniqueId('ord');
    const beforeTrial = await providerStats();
    const recovered = await eventually(
      'the half-open trial to succeed',
      async () => {
        const out = await charge(recovering);
        if (out.body.errorType && out.body.errorType !== 'CircuitOpenError') throw new Error(`unexpected ${out.body.errorType}: ${out.body.errorMessage}`);
        return out.body.status === 'CAPTURED' ? out : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(recovered.body).toMatchObject({ status: 'CAPTURED', amount_minor: 1000 });
    expect((await providerStats()).calls.charge).toBe(beforeTrial.calls.charge + 1);
    expect(await breaker()).toMatchObject({ state: 'closed', failures: '0', opened: '2' });
    expect((await charge(uniqueId('ord'))).body.status).toBe('CAPTURED');
  });

  it('reports the state as the CircuitBreakerState metric: 1 while open, 2 for the trial, 0 when closed', () => {
    const log = readFileSync(path.join(endpoints().data_dir, 'logs', `${paymentsFunction('Tasks')}.log`), 'utf8');
    const values = log
      .split('\n')
      .filter((l) => l.includes('"CircuitBreakerState"'))
      .flatMap((l) => ([] as number[]).concat((JSON.parse(l) as { CircuitBreakerState: number | number[] }).CircuitBreakerState));
    expect(new Set(values)).toEqual(new Set([0, 1, 2]));
  });
});
