/** The circuit breaker's rules (the Lua scripts run the same; test/integration/services/payments-circuit-breaker.test.ts checks them on Redis). */
import { acquire, CLOSED, failure, success, type CircuitRecord, type CircuitSettings, type Permit } from '../../../../../lambdas/payments/domain/circuit';

const s: CircuitSettings = { failureThreshold: 5, openMs: 60_000, trialTimeoutMs: 10_000 };

function allowed(r: CircuitRecord, now: number): { permit: Permit; record: CircuitRecord } {
  const out = acquire(r, now, s);
  if (!out.allowed) throw new Error('refused');
  return out;
}

describe('circuit rules', () => {
  it('opens on the threshold-th consecutive failure, once, ignoring reports of earlier permits', () => {
    let r = CLOSED;
    const permits = Array.from({ length: 20 }, () => allowed(r, 0).permit);
    const transitions = permits.map((p) => {
      const out = failure(r, p, 1000, s);
      r = out.record;
      return out.transition;
    });
    expect(transitions.filter((t) => t === 'opened')).toHaveLength(1);
    expect(transitions.slice(0, 5)).toEqual(['counted', 'counted', 'counted', 'counted', 'opened']);
    expect(r).toMatchObject({ state: 'open', openedAt: 1000, opened: 1 });
  });

  it('counts consecutive failures only: a success resets the count', () => {
    let r = CLOSED;
    for (const ok of [false, false, false, false, true, false, false, false, false]) {
      const { permit } = allowed(r, 0);
      r = (ok ? success(r, permit) : failure(r, permit, 0, s)).record;
    }
    expect(r).toMatchObject({ state: 'closed', failures: 4 });
    r = failure(r, allowed(r, 0).permit, 0, s).record;
    expect(r.state).toBe('open');
  });

  it('refuses while open with the time left, then lets exactly one trial through', () => {
    const open: CircuitRecord = { state: 'open', failures: 5, openedAt: 0, generation: 1, opened: 1 };
    expect(acquire(open, 59_000, s)).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    const trial = acquire(open, 60_000, s);
    expect(trial).toMatchObject({ allowed: true, permit: { kind: 'trial', generation: 2 }, record: { state: 'half_open', trialAt: 60_000 } });
    expect(acquire(trial.record, 60_001, s)).toMatchObject({ allowed: false });
  });

  it("closes on the trial's success and re-opens for another open time on its failure", () => {
    const open: CircuitRecord = { state: 'open', failures: 5, openedAt: 0, generation: 1, opened: 1 };
    const t = allowed(open, 60_000);
    expect(success(t.record, t.permit)).toMatchObject({ transition: 'closed', record: { state: 'closed', failures: 0 } });
    const reopened = failure(t.record, t.permit, 61_000, s);
    expect(reopened).toMatchObject({ transition: 'reopened', record: { state: 'open', openedAt: 61_000, opened: 2 } });
    expect(acquire(reopened.record, 120_000, s).allowed).toBe(false);
    expect(acquire(reopened.record, 121_000, s).allowed).toBe(true);
  });

  it('gives a trial that never reports up after the trial timeout', () => {
    const open: CircuitRecord = { state: 'open', failures: 5, openedAt: 0, generation: 1, opened: 1 };
    const first = allowed(open, 60_000);
    expect(acquire(first.record, 69_999, s).allowed).toBe(false);
    const second = allowed(first.record, 70_000);
    expect(second.permit.generation).toBe(first.permit.generation + 1);
    expect(success(second.record, first.permit).transition).toBe('ignored');
  });

  it('ignores the success of a call that started before the circuit opened', () => {
    let r = CLOSED;
    const early = allowed(r, 0).permit;
    for (let i = 0; i < 5; i++) r = failure(r, allowed(r, 0).permit, 0, s).record;
    expect(success(r, early)).toMatchObject({ transition: 'ignored', record: { state: 'open' } });
  });
});
