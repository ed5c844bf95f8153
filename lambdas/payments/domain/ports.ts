/** The ports Payments' use cases reach the world through; adapters implement them. */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { CircuitState, Permit } from './circuit';
import type { Card, FailureReason, Payment, PaymentStatus } from './payment';

export interface PaymentRepository {
  /** The payment as last written (a strongly consistent read). */
  get(paymentId: string): Promise<Payment | undefined>;
  /**
   * Writes `next`, with the event that announces it, in one atomic step, if the stored payment
   * is still the one the change was planned from (`expected`: its version and status; undefined:
   * no payment yet). Resolves false when someone else changed it first.
   */
  save(next: Payment, expected: Pick<Payment, 'version' | 'status'> | undefined, event?: EventEnvelope): Promise<boolean>;
  ping(): Promise<void>;
}

export type ProviderCharge =
  | { outcome: 'approved'; reference: string; card?: Card }
  | { outcome: 'declined'; code: string; message: string; reference?: string };

/**
 * The payment provider. Every call carries the payment id as the provider's idempotency key, so
 * a repeated charge or refund is answered, not performed again. Failing calls throw
 * PaymentProviderError with the reason (timeout, provider_error, unauthorized, in_progress, rejected).
 */
export interface PaymentProvider {
  charge(req: { idempotencyKey: string; amountMinor: number; currency: string; cardNumber: string; orderId: string }): Promise<ProviderCharge>;
  /** What a charge made under this key came to; `not_found` when the provider never made one. */
  findCharge(idempotencyKey: string): Promise<ProviderCharge | { outcome: 'not_found' }>;
  refund(req: { idempotencyKey: string; reference: string; amountMinor: number; reason: string }): Promise<{ reference: string }>;
}

/**
 * The circuit breaker around the provider, shared by every instance. `acquire` throws
 * CircuitOpenError when the call must not be made; the permit goes back with the outcome.
 */
export interface CircuitBreaker {
  acquire(): Promise<Permit>;
  success(permit: Permit): Promise<void>;
  failure(permit: Permit): Promise<void>;
  state(): Promise<CircuitState>;
}

export interface PaymentMetrics {
  /** a charge reached its outcome (CAPTURED, DECLINED or FAILED) */
  processed(status: PaymentStatus, amountMinor: number, currency: string): void;
  /** a charge did not capture: a decline code, or a failure reason */
  failed(reason: string | FailureReason): void;
  refunded(amountMinor: number, currency: string): void;
  circuitState(state: CircuitState): void;
}
