/**
 * The catalog's domain errors, each with its HTTP status through the shared AppError classes.
 */
import { AppError, ConflictError, NotFoundError, type ErrorDetail } from '../../shared/errors';

export class ProductNotFoundError extends NotFoundError {
  constructor(productId: string) {
    super(`product ${productId} does not exist`, [{ field: 'product_id', message: 'unknown product' }]);
  }
}

export class ProductExistsError extends ConflictError {
  constructor(productId: string) {
    super(`product ${productId} already exists`, [{ field: 'product_id', message: 'already taken' }], 'product_exists');
  }
}

/** The client's version is not the product's current version (optimistic concurrency). */
export class VersionConflictError extends ConflictError {
  constructor(productId: string, expected: number, current: number) {
    super(
      `product ${productId} is at version ${current}, not ${expected}; read it again and retry`,
      [{ field: 'version', message: 'stale version', expected_version: expected, current_version: current }],
      'version_conflict',
    );
  }
}

/**
 * A conditional write lost a race with another writer of the same product (its revision moved
 * between the read and the write). Use cases retry; it surfaces only when contention outlasts them.
 */
export class ConcurrentWriteError extends AppError {
  constructor(productId: string) {
    super(503, 'write_contention', `too many concurrent changes to product ${productId}; retry`, { expose: true });
  }
}

/** The read model (search index) cannot answer; the request may be retried. */
export class ReadModelUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(503, 'service_unavailable', message, { cause, expose: true });
  }
}

export type { ErrorDetail };
