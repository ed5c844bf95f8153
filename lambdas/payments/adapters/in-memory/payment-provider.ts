/**
 * PaymentProvider in memory (for unit tests): behaves per card number as the simulated provider's
 * test cards do, answers a repeated key with its first result, and can be made to time out,
 * fail, or hold a charge until released, so that every branch of the use cases can be driven.
 */
import { PaymentProviderError, type ProviderFailure } from '../../domain/errors';
import type { PaymentProvider, ProviderCharge } from '../../domain/ports';
import { cardOf } from '../../domain/payment';

export type Behaviour = { approve: true } | { decline: string } | { fail: ProviderFailure };

export const CARDS: Record<string, Behaviour> = {
  '4242424242424242': { approve: true },
  '4000000000000002': { decline: 'card_declined' },
  '4000000000009995': { decline: 'insufficient_funds' },
  '4000000000000069': { decline: 'expired_card' },
  '4000000000000119': { fail: 'provider_error' },
};

export class InMemoryPaymentProvider implements PaymentProvider {
  readonly calls: Array<{ op: 'charge' | 'find' | 'refund'; key: string }> = [];
  readonly charges = new Map<string, ProviderCharge>();
  readonly refunds = new Map<string, string>();
  /** every call fails with this, while set (an outage) */
  outage?: ProviderFailure;
  /** charges wait for this promise before they complete (a slow provider) */
  gate?: Promise<void>;
  /** the next charge completes at the provider but its caller sees a timeout */
  loseNextAnswer = false;
  private seq = 0;

  async charge(req: { idempotencyKey: string; amountMinor: number; currency: string; cardNumber: string }): Promise<ProviderCharge> {
    this.calls.push({ op: 'charge', key: req.idempotencyKey });
    if (this.outage) throw new PaymentProviderError(this.outage, `simulated ${this.outage}`);
    const known = this.charges.get(req.idempotencyKey);
    if (known) return known;
    if (this.gate) await this.gate;
    const behaviour = CARDS[req.cardNumber] ?? { approve: true };
    if ('fail' in behaviour) throw new PaymentProviderError(behaviour.fail, `simulated ${behaviour.fail}`);
    const result: ProviderCharge =
      'decline' in behaviour
        ? { outcome: 'declined', code: behaviour.decline, message: `declined: ${behaviour.decline}`, reference: `ch_${++this.seq}` }
        : { outcome: 'approved', reference: `ch_${++this.seq}`, card: cardOf(req.cardNumber) };
    this.charges.set(req.idempotencyKey, result);
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new PaymentProviderError('timeout', 'simulated timeout after the charge was made');
    }
    return result;
  }

  async findCharge(key: string): Promise<ProviderCharge | { outcome: 'not_found' }> {
    this.calls.push({ op: 'find', key });
    if (this.outage) throw new PaymentProviderError(this.outage, `simulated ${this.outage}`);
    return this.charges.get(key) ?? { outcome: 'not_found' };
  }

  async refund(req: { idempotencyKey: string; reference: string }): Promise<{ reference: string }> {
    this.calls.push({ op: 'refund', key: req.idempotencyKey });
    if (this.outage) throw new PaymentProviderError(this.outage, `simulated ${this.outage}`);
    const done = this.refunds.get(req.idempotencyKey);
    if (done) return { reference: done };
    const ref = `re_${++this.seq}`;
    this.refunds.set(req.idempotencyKey, ref);
    return { reference: ref };
  }

  count(op: 'charge' | 'find' | 'refund'): number {
    return this.calls.filter((c) => c.op === op).length;
  }
}
