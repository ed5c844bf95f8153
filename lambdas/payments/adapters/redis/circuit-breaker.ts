/**
 * The circuit breaker around the payment provider, with its state in Redis so that every Lambda
 * instance (the API function's and the saga task's, however many are warm) sees one breaker.
 *
 * Why not opossum: opossum keeps its state in the process. On Lambda each warm execution
 * environment would have its own breaker: with ten instances the provider takes fifty failures
 * before all of them open, a fresh instance starts closed and sends traffic to a provider known
 * to be down, and "exactly one trial call after 60 s" cannot hold across instances.
 *
 * Each operation is one Lua script, so each transition is atomic in Redis however many callers
 * race (the rules are domain/circuit.ts's; the scripts follow them line by line):
 *   acquire  closed → allowed; open and not yet `openMs` → refused at once; open and `openMs`
 *            passed → the first caller becomes the half-open trial, every other is refused until
 *            it reports (or until `trialTimeoutMs`, if it never does)
 *   success  the trial's closes the circuit; a closed permit's resets the failure count
 *   failure  a closed permit's counts a consecutive failure, the threshold-th opens the circuit;
 *            the trial's re-opens it for another `openMs`
 * Permits carry the generation they were given in, so a report from before a transition (one of
 * twenty concurrent failures arriving after the fifth opened the circuit) changes nothing.
 *
 * Time: the Redis server's clock (TIME inside the scripts), so that every instance measures the
 * open time on one clock, whatever the drift between Lambda hosts. Tests may pass a clock of
 * their own instead, to move time without waiting.
 *
 * When Redis does not answer, the breaker fails open: the call goes ahead unguarded (a `bypass`
 * permit), and the failure is logged and counted. The breaker protects the provider and our
 * latency; it is not what keeps money correct (idempotency keys and conditional writes are), so
 * an unavailable cache must not stop every payment. The provider call keeps its own timeout.
 */
import type { CircuitRecord, CircuitSettings, CircuitState, Permit } from '../../domain/circuit';
import { CircuitOpenError } from '../../domain/errors';
import type { CircuitBreaker } from '../../domain/ports';
import type { RedisClient } from './client';

const NOW = `
local function now_ms(arg)
  if arg ~= nil and arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** KEYS[1]: the breaker; ARGV: open_ms, trial_timeout_ms, now_ms or ''. Returns {decision, state, generation, retry_after_ms}. */
export const ACQUIRE_SCRIPT = `${NOW}
local h = redis.call('HMGET', KEYS[1], 'state', 'opened_at', 'trial_at', 'generation')
local state = h[1] or 'closed'
local generation = tonumber(h[4] or '0')
if state == 'closed' then return {'allowed', 'closed', generation, 0} end
local now = now_ms(ARGV[3])
if state == 'open' then
  local waited = now - tonumber(h[2] or now)
  if waited < tonumber(ARGV[1]) then return {'refused', 'open', generation, tonumber(ARGV[1]) - waited} end
elseif now - tonumber(h[3] or now) < tonumber(ARGV[2]) then
  return {'refused', 'half_open', generation, 1000}
end
generation = generation + 1
redis.call('HSET', KEYS[1], 'state', 'half_open', 'trial_at', now, 'generation', generation)
return {'trial', 'half_open', generation, 0}
`;

/** KEYS[1]; ARGV: permit kind, permit generation. Returns {transition, state, generation}. */
export const SUCCESS_SCRIPT = `
local h = redis.call('HMGET', KEYS[1], 'state', 'generation', 'failures')
local state = h[1] or 'closed'
local generation = tonumber(h[2] or '0')
if tonumber(ARGV[2]) ~= generation then return {'ignored', state, generation} end
if ARGV[1] == 'trial' and state == 'half_open' then
  redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0, 'generation', generation + 1)
  redis.call('HDEL', KEYS[1], 'opened_at', 'trial_at')
  return {'closed', 'closed', generation + 1}
end
if ARGV[1] == 'closed' and state == 'closed' then
  if tonumber(h[3] or '0') ~= 0 then redis.call('HSET', KEYS[1], 'failures', 0) end
  return {'reset', 'closed', generation}
end
return {'ignored', state, generation}
`;

/** KEYS[1]; ARGV: permit kind, permit generation, failure threshold, now_ms or ''. Returns {transition, state, generation}. */
export const FAILURE_SCRIPT = `${NOW}
local h = redis.call('HMGET', KEYS[1], 'state', 'generation')
local state = h[1] or 'closed'
local generation = tonumber(h[2] or '0')
if tonumber(ARGV[2]) ~= generation then return {'ignored', state, generation} end
if ARGV[1] == 'trial' and state == 'half_open' then
  redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', now_ms(ARGV[4]), 'generation', generation + 1)
  redis.call('HDEL', KEYS[1], 'trial_at')
  redis.call('HINCRBY', KEYS[1], 'opened', 1)
  return {'reopened', 'open', generation + 1}
end
if ARGV[1] == 'closed' and state == 'closed' then
  local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
  if failures < tonumber(ARGV[3]) then return {'counted', 'closed', generation} end
  redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', now_ms(ARGV[4]), 'generation', generation + 1)
  redis.call('HINCRBY', KEYS[1], 'opened', 1)
  return {'opened', 'open', generation + 1}
end
return {'ignored', state, generation}
`;

type Reply = [string, CircuitState, number, number?];

interface Scripts {
  paymentsCircuitAcquire(key: string, openMs: number, trialMs: number, now: string): Promise<Reply>;
  paymentsCircuitSuccess(key: string, kind: string, generation: number): Promise<Reply>;
  paymentsCircuitFailure(key: string, kind: string, generation: number, threshold: number, now: string): Promise<Reply>;
}

export interface RedisCircuitBreakerOptions {
  redis: RedisClient;
  /** the breaker's name: one breaker per provider, shared by every function that calls it */
  name: string;
  settings: CircuitSettings;
  /** epoch ms; default: the Redis server's clock */
  now?: () => number;
  /** the state after each operation (the CircuitBreakerState metric) */
  onState?: (state: CircuitState) => void;
  /** a transition happened (opened, reopened, closed) */
  onTransition?: (transition: string, state: CircuitState) => void;
  /** Redis did not answer; the call goes ahead unguarded */
  onUnavailable?: (operation: string, err: unknown) => void;
}

export const circuitKey = (name: string) => `payments:circuit:{${name}}`;

export class RedisCircuitBreaker implements CircuitBreaker {
  private readonly key: string;
  private readonly scripts: Scripts;

  constructor(private readonly o: RedisCircuitBreakerOptions) {
    this.key = circuitKey(o.name);
    // defineCommand sends EVALSHA and falls back to EVAL when Redis does not know the script yet
    o.redis.defineCommand('paymentsCircuitAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
    o.redis.defineCommand('paymentsCircuitSuccess', { numberOfKeys: 1, lua: SUCCESS_SCRIPT });
    o.redis.defineCommand('paymentsCircuitFailure', { numberOfKeys: 1, lua: FAILURE_SCRIPT });
    this.scripts = o.redis as unknown as Scripts;
  }

  private now(): string {
    return this.o.now ? String(this.o.now()) : '';
  }

  async acquire(): Promise<Permit> {
    let reply: Reply;
    try {
      reply = await this.scripts.paymentsCircuitAcquire(this.key, this.o.settings.openMs, this.o.settings.trialTimeoutMs, this.now());
    } catch (err) {
      this.o.onUnavailable?.('acquire', err);
      return { kind: 'bypass', generation: -1 };
    }
    const [decision, state, generation, retryAfterMs] = reply;
    this.o.onState?.(state);
    if (decision === 'refused') throw new CircuitOpenError(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000)));
    if (decision === 'trial') this.o.onTransition?.('half_opened', state);
    return { kind: decision === 'trial' ? 'trial' : 'closed', generation };
  }

  async success(permit: Permit): Promise<void> {
    if (permit.kind === 'bypass') return;
    await this.report('success', () => this.scripts.paymentsCircuitSuccess(this.key, permit.kind, permit.generation));
  }

  async failure(permit: Permit): Promise<void> {
    if (permit.kind === 'bypass') return;
    await this.report('failure', () =>
      this.scripts.paymentsCircuitFailure(this.key, permit.kind, permit.generation, this.o.settings.failureThreshold, this.now()),
    );
  }

  async state(): Promise<CircuitState> {
    return (await this.record()).state;
  }

  /** The breaker's record as stored (closed when Redis holds none). */
  async record(): Promise<CircuitRecord> {
    const h = (await this.o.redis.hgetall(this.key)) as Record<string, string>;
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    return {
      state: (h.state as CircuitState | undefined) ?? 'closed',
      failures: num(h.failures) ?? 0,
      openedAt: num(h.opened_at),
      trialAt: num(h.trial_at),
      generation: num(h.generation) ?? 0,
      opened: num(h.opened) ?? 0,
    };
  }

  private async report(operation: string, run: () => Promise<Reply>): Promise<void> {
    try {
      const [transition, state] = await run();
      this.o.onState?.(state);
      if (transition === 'opened' || transition === 'reopened' || transition === 'closed') this.o.onTransition?.(transition, state);
    } catch (err) {
      this.o.onUnavailable?.(operation, err);
    }
  }
}
