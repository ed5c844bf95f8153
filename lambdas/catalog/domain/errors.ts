/**
 * The catalog's errors. Those a client may see carry their HTTP status through the shared
 * AppError classes; the others are signals between the catalog's own layers (a lost race that a
 * use case retries, an event to drop), never answered as they are.
 */
import { AppError, ConflictError, NotFoundError } from '../../shared/errors';

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

/** A price or amount that breaks the currency's rules; the schemas turn it into a 422 naming the field. */

/** The stored product changed since it was read (a conditional save lost); the use cases read again and retry. */
export class StaleProductError extends Error {
  constructor(readonly productId: string) {
    super(`product ${productId} changed since it was read`);
    this.name = 'StaleProductError';
  }
}

/** The event of a change is already in the outbox: the change was applied before (a redelivered cause). */
export class EventAlreadyRecordedError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already in the outbox`);
    this.name = 'EventAlreadyRecordedError';
  }
}

/** A catalog event that carries no product: retrying cannot fix it, so the projection drops it. */
export class MalformedEventError extends Error {
  constructor(readonly eventId: string, readonly eventType: string, readonly issues: string) {
    super(`event ${eventId} (${eventType}) does not carry a product: ${issues}`);
    this.name = 'MalformedEventError';
  }
}
