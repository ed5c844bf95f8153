/**
 * Payments through the local cloud (API Gateway -> payments API function -> DynamoDB, Redis
 * circuit breaker, the simulated provider, the outbox), on a fresh cloud.
 *
 * Figures:
 * - POST /api/payments (a new order each time: a charge at the provider) latency, sequential, and
 *   throughput with latency at 8 concurrent clients;
 * - the same POST for an order already paid (answered from the payment record, no provider call);
 * - the failing-fast answer while the circuit is open (503, no provider call), after driving the
 *   provider into an outage;
 * - the circuit breaker's own cost: acquire + success (two Lua scripts) against the same Redis.
 */
import { Redis } from 'ioredis';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RedisCircuitBreaker } from '../lambdas/payments/adapters/redis/circuit-breaker';
import { startLocalCloud } from '../local/cloud';
import { readConfig } from '../local/config';
import { platformApp } from '../local/platform';
import type { BenchOptions } from './run';

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100 : null);
  return { n: s.length, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs: at(100) };
}

export default async function bench(opts: BenchOptions) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payments-bench-'));
  const cloud = await startLocalCloud(readConfig(['--fresh', '--no-seed', '--ephemeral-ports', '--quiet', '--data-dir', dataDir]), { app: platformApp });
  const e = cloud.endpoints;
  const key = e.api_keys.internal!;
  const provider = e.services.payment_provider!;
  let n = 0;
  const pay = async (orderId = `bench-${Date.now()}-${n++}`) => {
    const started = performance.now();
    const res = await fetch(`${e.api_url}/api/payments`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: orderId, amount: 19.99, currency: 'USD', payment_method: { card_number: '4242424242424242' } }),
    });
    await res.text();
    return { status: res.status, ms: performance.now() - started };
  };
  const stats = async () => ((await (await fetch(`${provider}/_sim/stats`)).json()) as { calls: { charge: number } }).calls.charge;
  try {
    const sequentialN = opts.quick ? 30 : 150;
    const concurrentN = opts.quick ? 60 : 400;
    for (let i = 0; i < 5; i++) await pay(); // warm the function, the connections and the secret cache

    const sequential: number[] = [];
    for (let i = 0; i < sequentialN; i++) {
      const r = await pay();
      if (r.status !== 201) throw new Error(`charge answered ${r.status}`);
      sequential.push(r.ms);
    }

    const concurrent: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < concurrentN) {
          const r = await pay();
          if (r.status !== 201) throw new Error(`charge answered ${r.status}`);
          concurrent.push(r.ms);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const paid = `bench-paid-${Date.now()}`;
    await pay(paid);
    const replayed: number[] = [];
    for (let i = 0; i < sequentialN; i++) replayed.push((await pay(paid)).ms);

    // drive the provider into an outage until the API's breaker opens, then measure the fail-fast answer
    await fetch(`${provider}/_sim/config`, { method: 'PUT', body: JSON.stringify({ failure_rate: 1 }) });
    for (let i = 0; i < 5; i++) await pay();
    const beforeOpen = await stats();
    const open: number[] = [];
    for (let i = 0; i < sequentialN; i++) {
      const r = await pay();
      if (r.status !== 503) throw new Error(`expected 503 while open, got ${r.status}`);
      open.push(r.ms);
    }
    const providerCallsWhileOpen = (await stats()) - beforeOpen;
    await fetch(`${provider}/_sim/config`, { method: 'PUT', body: JSON.stringify({ failure_rate: 0 }) });

    const redis = new Redis(e.services.redis!);
    const breaker = new RedisCircuitBreaker({ redis, name: `bench-${Date.now()}`, settings: { failureThreshold: 5, openMs: 60_000, trialTimeoutMs: 10_000 } });
    const script: number[] = [];
    for (let i = 0; i < (opts.quick ? 200 : 2000); i++) {
      const t = performance.now();
      await breaker.success(await breaker.acquire());
      script.push(performance.now() - t);
    }
    redis.disconnect();

    return {
      chargeSequential: percentiles(sequential),
      chargeConcurrent8: { ...percentiles(concurrent), perSecond: Math.round((concurrentN / seconds) * 10) / 10 },
      secondChargeOfPaidOrder: percentiles(replayed),
      circuitOpenFailFast: { ...percentiles(open), providerCallsWhileOpen },
      breakerAcquireAndSuccess: percentiles(script),
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
    };
  } finally {
    await cloud.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
