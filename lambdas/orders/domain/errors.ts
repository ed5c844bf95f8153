/**
 * The Orders service's errors. Class names double as the error names Step Functions sees from a
 * failed task (`OrderStateError`, `TransientError`), so they are part of the saga's contract
 * (statemachines/README.md): rename with care.
 */
import { AppError, ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '../../shared/errors';

/** The transition is not allowed from the order's state (an event out of the saga's order). */
export class OrderStateError extends ConflictError {
  constructor(orderId: string, status: string | undefined, eventType: string) {
    super(
      `order ${orderId} cannot take ${eventType} from ${status ?? 'no state'}`,
      [{ field: 'status', message: `${eventType} is not allowed from ${status ?? 'no state'}`, order_id: orderId, status: status ?? null, event: eventType }],
      'order_state',
    );
  }
}

export class OrderNotFoundError extends NotFoundError {
  constructor(orderId: string) {
    super(`order ${orderId} does not exist`, [{ field: 'order_id', message: 'unknown order' }]);
  }
}

/** The product is not in the price list Orders holds (never created, or deleted). */
export class PriceNotFoundError extends NotFoundError {
  constructor(productId: string) {
    super(`product ${productId} is not orderable`, [{ field: 'product_id', message: 'unknown product' }]);
  }
}

/**
 * A line whose client `price` is not the catalog's: the client saw an older (or wrong) price.
 * `details` carry the current price of each such line, so the client can show it and resend.
 */
export class PriceChangedError extends ConflictError {
  constructor(details: ErrorDetail[]) {
    super('the price of some items is not the current price', details, 'price_changed');
  }
}

/** The same Idempotency-Key was used for another request (another body, or another order). */
export class IdempotencyKeyReusedError extends ValidationError {
  constructor() {
    super('this Idempotency-Key was already used with another request', [
      { field: 'Idempotency-Key', message: 'already used with another request body; use a new key for a new order' },
    ]);
  }
}

/** A request with the same Idempotency-Key is being processed right now. */
export class IdempotencyInProgressError extends ConflictError {
  constructor() {
    super('a request with this Idempotency-Key is in progress; retry shortly', [{ field: 'Idempotency-Key', message: 'in progress' }], 'request_in_progress');
  }
}

/**
 * A failure worth retrying: contention on an order's log outlasted the appends' own retries, or
 * a dependency (DynamoDB, Step Functions) failed for a while. The saga's Retry matches this name.
 */
export class TransientError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(503, 'service_unavailable', message, { cause, expose: true });
  }
}

/**
 * An append lost its race: the log moved on (another writer appended) between the read and the
 * write. The use cases read again and decide again; it never leaves the service.
 */
export class ConcurrentAppendError extends Error {
  constructor(readonly orderId: string, readonly expectedVersion: number) {
    super(`order ${orderId} is no longer at version ${expectedVersion}`);
    this.name = 'ConcurrentAppendError';
  }
}

/** A log whose positions are not 1, 2, 3, ... (a gap, a duplicate): the store's conditions make it impossible; the fold checks anyway. */
export class CorruptLogError extends Error {
  constructor(orderId: string, reason: string) {
    super(`the log of order ${orderId} is corrupt: ${reason}`);
    this.name = 'CorruptLogError';
  }
}
