/**
 * What can be changed from outside while the simulator runs, to drive every branch of the
 * platform: a failure rate (each API call fails with 503 with that probability: an outage at 1),
 * a latency added to every API call, and how long the slow test card takes. Kept in memory on
 * purpose: an outage a test switched on does not outlive a restart. Also the call counters, so a
 * test can tell whether the platform called the provider at all (the circuit breaker's fail-fast).
 */
export interface SimulationConfig {
  /** 0..1: the probability that an API call fails with 503 */
  failure_rate: number;
  /** ms added to every API call */
  latency_ms: number;
  /** ms the slow test card takes before it is approved */
  slow_ms: number;
}

export const DEFAULT_CONFIG: SimulationConfig = { failure_rate: 0, latency_ms: 0, slow_ms: 15_000 };

/** Validates a PUT /_sim/config body; returns the problems (empty when fine). */
export function configProblems(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return ['the body must be a JSON object'];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (k === 'failure_rate') {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) problems.push('failure_rate must be a number from 0 to 1');
    } else if (k === 'latency_ms' || k === 'slow_ms') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 600_000) problems.push(`${k} must be an integer from 0 to 600000`);
    } else problems.push(`unknown setting ${k}; expected failure_rate, latency_ms, slow_ms`);
  }
  return problems;
}

export type CallKind = 'charge' | 'refund' | 'lookup' | 'get_charge' | 'get_refund';
export type Outcome = 'approved' | 'declined' | 'refunded' | 'found' | 'not_found' | 'replayed' | 'in_progress' | 'provider_error' | 'outage' | 'unauthorized' | 'invalid';

export class CallStats {
  calls: Record<CallKind, number> = { charge: 0, refund: 0, lookup: 0, get_charge: 0, get_refund: 0 };
  outcomes: Partial<Record<Outcome, number>> = {};

  count(kind: CallKind): void {
    this.calls[kind]++;
  }

  outcome(o: Outcome): void {
    this.outcomes[o] = (this.outcomes[o] ?? 0) + 1;
  }

  view() {
    return { calls: { ...this.calls }, total: Object.values(this.calls).reduce((a, b) => a + b, 0), outcomes: { ...this.outcomes } };
  }

  reset(): void {
    for (const k of Object.keys(this.calls) as CallKind[]) this.calls[k] = 0;
    this.outcomes = {};
  }
}
