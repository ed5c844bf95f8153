/**
 * The circuit breaker's rules, as pure functions over its record. The Redis adapter runs the
 * same rules as Lua scripts (adapters/redis/circuit-breaker.ts), one per operation, so that each
 * transition is atomic across every Lambda instance; the in-memory adapter runs these.
 *
 * - closed: every call is allowed. A failure adds to the count of consecutive failures; the
 *   threshold-th opens the circuit; a success resets the count.
 * - open: every call is refused at once until `openMs` has passed since it opened; then exactly
 *   one caller becomes the trial (the circuit is half-open) and the others are refused.
 * - half-open: the trial's success closes the circuit, its failure re-opens it for another
 *   `openMs`. A trial that never reports (its caller died) is given up after `trialTimeoutMs`,
 *   and the next caller becomes the trial.
 * - Each permit names the generation it was given in; a report from an earlier generation
 *   (a call that started before the circuit opened and ended after) changes nothing, so twenty
 *   concurrent failures open the circuit once.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** The state as the `CircuitBreakerState` metric reports it (the original's 0/1/2). */
export const CIRCUIT_STATE_VALUE: Readonly<Record<CircuitState, number>> = { closed: 0, open: 1, half_open: 2 };

export interface CircuitSettings {
  failureThreshold: number;
  openMs: number;
  trialTimeoutMs: number;
}

export interface CircuitRecord {
  state: CircuitState;
  failures: number;
  /** epoch ms */
  openedAt?: number;
  trialAt?: number;
  generation: number;
  /** how many times it has opened (for operators and tests) */
  opened: number;
}

export const CLOSED: CircuitRecord = { state: 'closed', failures: 0, generation: 0, opened: 0 };

export interface Permit {
  /** `bypass`: the breaker's store was unreachable and the call goes ahead unguarded */
  kind: 'closed' | 'trial' | 'bypass';
  generation: number;
}

export type Acquired = { allowed: true; permit: Permit; record: CircuitRecord } | { allowed: false; retryAfterMs: number; record: CircuitRecord };

export function acquire(r: CircuitRecord, now: number, s: CircuitSettings): Acquired {
  if (r.state === 'closed') return { allowed: true, permit: { kind: 'closed', generation: r.generation }, record: r };
  if (r.state === 'open') {
    const waited = now - (r.openedAt ?? now);
    if (waited < s.openMs) return { allowed: false, retryAfterMs: s.openMs - waited, record: r };
  } else if (now - (r.trialAt ?? now) < s.trialTimeoutMs) {
    return { allowed: false, retryAfterMs: 1000, record: r }; // a trial is under way: ask again shortly
  }
  const record: CircuitRecord = { ...r, state: 'half_open', trialAt: now, generation: r.generation + 1 };
  return { allowed: true, permit: { kind: 'trial', generation: record.generation }, record };
}

export type Transition = 'closed' | 'reset' | 'opened' | 'reopened' | 'counted' | 'ignored';

export function success(r: CircuitRecord, p: Permit): { record: CircuitRecord; transition: Transition } {
  if (p.generation !== r.generation || p.kind === 'bypass') return { record: r, transition: 'ignored' };
  if (p.kind === 'trial' && r.state === 'half_open') {
    return { record: { state: 'closed', failures: 0, generation: r.generation + 1, opened: r.opened }, transition: 'closed' };
  }
  if (p.kind === 'closed' && r.state === 'closed') return { record: { ...r, failures: 0 }, transition: 'reset' };
  return { record: r, transition: 'ignored' };
}

export function failure(r: CircuitRecord, p: Permit, now: number, s: CircuitSettings): { record: CircuitRecord; transition: Transition } {
  if (p.generation !== r.generation || p.kind === 'bypass') return { record: r, transition: 'ignored' };
  if (p.kind === 'trial' && r.state === 'half_open') {
    return { record: { ...r, state: 'open', openedAt: now, trialAt: undefined, generation: r.generation + 1, opened: r.opened + 1 }, transition: 'reopened' };
  }
  if (p.kind === 'closed' && r.state === 'closed') {
    const failures = r.failures + 1;
    if (failures < s.failureThreshold) return { record: { ...r, failures }, transition: 'counted' };
    return { record: { state: 'open', failures, openedAt: now, generation: r.generation + 1, opened: r.opened + 1 }, transition: 'opened' };
  }
  return { record: r, transition: 'ignored' };
}
