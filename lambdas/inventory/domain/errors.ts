/**
 * Inventory's domain errors. Class names double as the error names that Step Functions sees
 * from a failed task (`ErrorEquals: ["InsufficientStockError"]`), so they are part of the
 * saga's contract: rename with care.
 */
import { AppError, ConflictError, type ErrorDetail } from '../../shared/errors';

export class InsufficientStockError extends ConflictError {
  constructor(details: ErrorDetail[]) {
    super('not enough stock for every line of the order', details, 'insufficient_stock');
  }
}

export class UnknownProductError extends AppError {
  constructor(details: ErrorDetail[]) {
    super(422, 'unknown_product', 'some products have no stock record', { details });
  }
}

/** A reservation exists but cannot take the requested step (released twice is fine; commit after release is not). */
export class ReservationStateError extends ConflictError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message, details, 'reservation_state');
  }
}

/** Contention outlasted the retries; the caller may try again. */
export class StockContentionError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(503, 'stock_contention', message, { cause, expose: true });
  }
}
