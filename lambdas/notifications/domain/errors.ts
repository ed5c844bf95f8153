/** The Notifications service's errors. */
import { AppError, ValidationError, type ErrorDetail } from '../../shared/errors';

/** A direct send names a template there is none of. */
export class UnknownTemplateError extends ValidationError {
  constructor(name: string, known: readonly string[]) {
    super('unknown template', [{ field: 'template', message: `no template named ${JSON.stringify(name)}; expected one of ${known.join(', ')}` }]);
  }
}

/** A send for a user who has no contact on that channel, or no preferences at all. */
export class NoRecipientError extends ValidationError {
  constructor(message: string, details: ErrorDetail[]) {
    super(message, details);
  }
}

/**
 * A channel's provider refused or failed a send. `transient`: worth another attempt (a 5xx,
 * throttling, a timeout); otherwise the message can never go (a malformed address, a disabled
 * push endpoint, an unverified sender).
 */
export class ChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly transient: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
  }
}

/** A direct send that was recorded but failed on its channel after its retries: 502, the record names why. */
export class DeliveryFailedError extends AppError {
  constructor(notificationId: string, channel: string, error: { code: string; message: string }) {
    super(502, 'delivery_failed', `the ${channel} provider did not accept the message: ${error.code}`, {
      expose: true,
      details: [{ field: 'channel', message: error.message, notification_id: notificationId, error_code: error.code }],
    });
  }
}

/** Registering a push token with the push provider failed. */
export class PushRegistrationError extends AppError {
  constructor(message: string, options: { cause?: unknown; transient: boolean }) {
    super(options.transient ? 503 : 422, options.transient ? 'service_unavailable' : 'validation_failed', message, {
      cause: options.cause,
      expose: true,
      details: options.transient ? [] : [{ field: 'push_token', message }],
    });
  }
}

/**
 * An earlier delivery of this event is still sending (or crashed less than a lease ago): the
 * batch fails, so that the event source mapping tries again later, and by then the lease has
 * either been released or expired.
 */
export class SendInProgressError extends Error {
  constructor(readonly notificationIds: string[]) {
    super(`notifications ${notificationIds.join(', ')} are being sent by an earlier delivery of this event`);
    this.name = 'SendInProgressError';
  }
}
