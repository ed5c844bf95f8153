/**
 * The payments circuit breaker on the local cloud's real Redis: its Lua scripts under concurrent
 * callers (20 failures open it once; after the open time exactly one of 20 callers is the trial),
 * the trial closing or re-opening it, consecutive failures only, the server's clock, and failing
 * open when Redis does not answer. Each test has a breaker of its own name.
 */
import { Redis } from 'ioredis';
import { RedisCircuitBreaker } from '../../../lambdas/payments/adapters/redis/circuit-breaker';
import { CircuitOpenError } from '../../../lambdas/payments/domain/errors';
import type { Permit } from '../../../lambdas/payments/domain/circuit';
import { endpoints, uniqueId } from '../../support/local-cloud';
import { eventually } from '../../support/poll';

const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

/** A client per breaker, as each Lambda instance has its own connection. */
function redis(url = endpoints().services.redis!): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000 });
  clients.push(c);
  return c;
}

function breakers(n: number, o: { name?: string; clock?: { t: number }; openMs?: number; threshold?: number } = {}) {
  const name = o.name ?? uniqueId('cb');
  const transitions: string[] = [];
  const list = Array.from(
    { length: n },
    () =>
      new RedisCircuitBreaker({
        redis: redis(),
        name,
        settings: { failureThreshold: o.threshold ?? 5, openMs: o.openMs ?? 60_000, trialTimeoutMs: 10_000 },
        now: o.clock ? () => o.clock!.t : undefined,
        onTransition: (t) => transitions.push(t),
      }),
  );
  return { list, transitions, name };
}

const outcome = (p: Promise<Permit>) => p.then((permit) => permit.kind, (err: unknown) => (err instanceof CircuitOpenError ? 'refused' : `error: ${String(err)}`));

describe('the circuit breaker on Redis', () => {
  it('opens exactly once when 20 instances fail at the same time', async () => {
    const clock = { t: 1_000_000 };
    const { list, transitions } = breakers(20, { clock });
    const permits = await Promise.all(list.map((b) => b.acquire()));
    expect(permits.every((p) => p.kind === 'closed')).toBe(true);
    await Promise.all(list.map((b, i) => b.failure(permits[i]!)));
    expect(transitions).toEqual(['opened']);
    expect(await list[0]!.record()).toMatchObject({ state: 'open', opened: 1, openedAt: 1_000_000 });
    const refused = await Promise.all(list.map((b) => outcome(b.acquire())));
    expect(refused).toEqual(Array(20).fill('refused'));
  });

  it('refuses with the time left while open, then lets exactly one of 20 concurrent callers through as the trial', async () => {
    const clock = { t: 5_000_000 };
    const { list } = breakers(20, { clock });
    for (let i = 0; i < 5; i++) await list[0]!.failure(await list[0]!.acquire());
    clock.t += 59_000;
    const early = await list[1]!.acquire().catch((e: CircuitOpenError) => e);
    expect(early).toBeInstanceOf(CircuitOpenError);
    expect((early as CircuitOpenError).retryAfterSeconds).toBe(1);
    clock.t += 1_000;
    const results = await Promise.all(list.map((b) => outcome(b.acquire())));
    expect(results.filter((r) => r === 'trial')).toHaveLength(1);
    expect(results.filter((r) => r === 'refused')).toHaveLength(19);
    expect((await list[0]!.record()).state).toBe('half_open');
  });

  it("closes on the trial's success; re-opens for another open time on its failure", async () => {
    const clock = { t: 9_000_000 };
    const { list, transitions } = breakers(2, { clock });
    const [a, b] = list as [RedisCircuitBreaker, RedisCircuitBreaker];
    for (let i = 0; i < 5; i++) await a.failure(await a.acquire());
    clock.t += 60_000;
    const trial = await a.acquire();
    expect(trial.kind).toBe('trial');
    await a.failure(trial);
    expect(await a.record()).toMatchObject({ state: 'open', openedAt: 9_060_000, opened: 2 });
    clock.t += 59_999;
    expect(await outcome(b.acquire())).toBe('refused');
    clock.t += 1;
    const second = await b.acquire();
    expect(second.kind).toBe('trial');
    await b.success(second);
    expect(await a.record()).toMatchObject({ state: 'closed', failures: 0 });
    expect(await outcome(a.acquire())).toBe('closed');
    expect(transitions).toEqual(['opened', 'half_opened', 'reopened', 'half_opened', 'closed']);
  });

  it('counts consecutive failures only: a success in between resets the count', async () => {
    const { list } = breakers(1);
    const b = list[0]!;
    for (const ok of [false, false, false, false, true, false, false, false, false]) {
      const p = await b.acquire();
      await (ok ? b.success(p) : b.failure(p));
    }
    expect(await b.record()).toMatchObject({ state: 'closed', failures: 4 });
    await b.failure(await b.acquire());
    expect((await b.record()).state).toBe('open');
  });

  it('ignores the success of a call that started before the circuit opened', async () => {
    const { list } = breakers(1);
    const b = list[0]!;
    const early = await b.acquire();
    for (let i = 0; i < 5; i++) await b.failure(await b.acquire());
    await b.success(early);
    expect((await b.record()).state).toBe('open');
  });

  it("measures the open time on the Redis server's clock when no clock is given", async () => {
    const { list } = breakers(1, { openMs: 300 });
    const b = list[0]!;
    for (let i = 0; i < 5; i++) await b.failure(await b.acquire());
    const opened = Date.now();
    expect(await outcome(b.acquire())).toBe('refused');
    const trial = await eventually('the open time to pass', async () => ((await outcome(b.acquire())) === 'trial' ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
    expect(trial).toBe(true);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(250); // the server's clock and ours differ by the round trips
  });

  it('fails open when Redis does not answer: the call goes ahead unguarded and the trouble is reported', async () => {
    const unavailable: string[] = [];
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true });
    dead.on('error', () => undefined);
    clients.push(dead);
    const b = new RedisCircuitBreaker({
      redis: dead,
      name: uniqueId('cb'),
      settings: { failureThreshold: 5, openMs: 60_000, trialTimeoutMs: 10_000 },
      onUnavailable: (op) => unavailable.push(op),
    });
    const permit = await b.acquire();
    expect(permit).toEqual({ kind: 'bypass', generation: -1 });
    await b.failure(permit);
    await b.success(permit);
    expect(unavailable).toEqual(['acquire']);
  });
});
