/** CircuitBreaker in memory, on the domain's rules (one process only: for unit tests). */
import { acquire, CLOSED, failure, success, type CircuitRecord, type CircuitSettings, type CircuitState, type Permit, type Transition } from '../../domain/circuit';
import { CircuitOpenError } from '../../domain/errors';
import type { CircuitBreaker } from '../../domain/ports';

export class InMemoryCircuitBreaker implements CircuitBreaker {
  record: CircuitRecord = CLOSED;
  readonly transitions: Transition[] = [];

  constructor(
    private readonly settings: CircuitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(): Promise<Permit> {
    const out = acquire(this.record, this.now(), this.settings);
    this.record = out.record;
    if (!out.allowed) throw new CircuitOpenError(Math.max(1, Math.ceil(out.retryAfterMs / 1000)));
    return out.permit;
  }

  async success(permit: Permit): Promise<void> {
    const out = success(this.record, permit);
    this.record = out.record;
    this.transitions.push(out.transition);
  }

  async failure(permit: Permit): Promise<void> {
    const out = failure(this.record, permit, this.now(), this.settings);
    this.record = out.record;
    this.transitions.push(out.transition);
  }

  async state(): Promise<CircuitState> {
    return this.record.state;
  }
}
