/**
 * Payments' domain errors. Class names double as the error names Step Functions sees from a
 * failed task (`ErrorEquals: ["PaymentDeclinedError"]`), so they are part of the saga's
 * contract (statemachines/README.md): rename with care.
 */
import { AppError, ConflictError, type ErrorDetail } from '../../shared/errors';

/** The card was declined: an answer, not a failure. 402, the decline code in the message and details. */
export class PaymentDeclinedError extends AppError {
  constructor(
    readonly declineCode: string,
    providerMessage: string,
    paymentId: string,
  ) {
    super(402, 'payment_declined', `card declined: ${declineCode}`, {
      details: [{ field: 'payment_method.card_number', decline_code: declineCode, payment_id: paymentId, message: providerMessage }],
    });
  }
}

/** The circuit breaker is open (or a trial call is under way): payment fails fast. 503 with Retry-After. */
export class CircuitOpenError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(503, 'circuit_open', `the payment provider is failing; payments are paused, retry in ${retryAfterSeconds} s`, {
      details: [{ message: 'circuit breaker open', retry_after_seconds: retryAfterSeconds }],
      expose: true,
    });
  }
}

/** Why a provider call did not give an answer. */
export type ProviderFailure = 'timeout' | 'provider_error' | 'unauthorized' | 'in_progress' | 'rejected';

/**
 * Whether a failure says the provider is unwell (it counts toward opening the circuit): timeouts,
 * 5xx and unreachable, and a refused key. `in_progress` (an earlier attempt is still being
 * processed) and `rejected` (the provider refused this request) are answers from a working provider.
 */
export const countsAsProviderFailure = (reason: ProviderFailure): boolean => reason === 'timeout' || reason === 'provider_error' || reason === 'unauthorized';

/**
 * The provider did not answer the request (timeout, 5xx, unreachable, refused our key) or is
 * still processing an earlier attempt. Transient: the saga retries it. 502 on the API.
 */
export class PaymentProviderError extends AppError {
  constructor(
    readonly reason: ProviderFailure,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(502, 'payment_provider_error', message, { cause: options.cause, expose: true, details: [{ message: reason }] });
  }
}

/** The payment cannot take this step from its state (charging a voided payment, refunding a declined one). 409. */
export class PaymentStateError extends ConflictError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message, details, 'payment_state');
  }
}

/** The order already has a payment for another amount or currency. 409. */
export class PaymentMismatchError extends ConflictError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message, details, 'payment_mismatch');
  }
}
