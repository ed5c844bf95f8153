/**
 * The error vocabulary of every service. Each class carries its HTTP status and a stable
 * machine-readable code; the HTTP error middleware turns them into
 * `{ "error": { "code", "message", "details" } }`. Anything that is not an AppError is
 * answered as a 500 whose body never reveals internals.
 */
export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** false: the message is for logs only and the client gets a generic one */
  readonly expose: boolean;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    options: { details?: ErrorDetail[]; cause?: unknown; expose?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.code = code;
    this.details = options.details ?? [];
    this.expose = options.expose ?? statusCode < 500;
  }
}

/** Syntactically bad input: malformed JSON, a bad path or query parameter. */
export class BadRequestError extends AppError {
  constructor(message: string, details?: ErrorDetail[], code = 'bad_request') {
    super(400, code, message, { details });
  }
}

/** Well-formed input that breaks the schema or a business rule. */
export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(422, 'validation_failed', message, { details });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(404, 'not_found', message, { details });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: ErrorDetail[], code = 'conflict') {
    super(409, code, message, { details });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(413, 'payload_too_large', message, { details });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/** A dependency (table, cache, provider) is unavailable; safe to retry later. */
export class ServiceUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(503, 'service_unavailable', message, { cause: options.cause, expose: true });
  }
}

/** A failure a request asked for (fault injection): answered as any unexpected error is, a masked 500. */
export class InjectedFaultError extends Error {
  constructor() {
    super('fault injected by request');
    this.name = 'InjectedFaultError';
  }
}

/** A function's environment lacks a variable it needs, or holds one it cannot read: fails the cold start. */
export class ConfigurationError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** An amount or currency that money cannot be made of (callers turn it into a 422 naming the field). */
export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}
