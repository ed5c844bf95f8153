/** PaymentRepository in memory, with the same conditional semantics as DynamoDB's (for unit tests). */
import type { EventEnvelope } from '../../../shared/events/envelope';
import type { Payment } from '../../domain/payment';
import type { PaymentRepository } from '../../domain/ports';

export class InMemoryPaymentRepository implements PaymentRepository {
  readonly payments = new Map<string, Payment>();
  /** what the outbox received, in order */
  readonly events: EventEnvelope[] = [];
  /** successful writes, for tests that count them */
  writes = 0;

  async get(paymentId: string): Promise<Payment | undefined> {
    const p = this.payments.get(paymentId);
    return p && structuredClone(p);
  }

  async save(next: Payment, expected: Pick<Payment, 'version' | 'status'> | undefined, event?: EventEnvelope): Promise<boolean> {
    const current = this.payments.get(next.paymentId);
    if (expected === undefined ? current !== undefined : !current || current.version !== expected.version || current.status !== expected.status) return false;
    if (event && this.events.some((e) => e.id === event.id)) return false; // the outbox's own condition
    this.payments.set(next.paymentId, structuredClone(next));
    if (event) this.events.push(event);
    this.writes++;
    return true;
  }

  async ping(): Promise<void> {}
}
