/** What the Orders routes read from a request besides its body: ids, headers, the saga fault. */
import type { Context } from 'aws-lambda';
import { BadRequestError } from '../../shared/errors';
import { headerValue } from '../../shared/headers';
import type { HttpEvent } from '../../shared/http';
import type { StepFault } from '../../shared/task';
import { FAULT_HEADER, parseSagaFault } from '../domain/saga';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The request's correlation id, as the correlation middleware chose it. */
export function correlationId(event: HttpEvent, context: Context): string {
  return headerValue(event.headers, 'x-correlation-id') ?? event.requestContext?.requestId ?? context.awsRequestId;
}

/** The Idempotency-Key header: 1 to 255 visible ASCII characters, or none. */
export function idempotencyKey(event: HttpEvent): string | undefined {
  const key = headerValue(event.headers, IDEMPOTENCY_HEADER);
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new BadRequestError(`${IDEMPOTENCY_HEADER} is invalid`, [{ field: IDEMPOTENCY_HEADER, message: '1 to 255 visible ASCII characters, such as a UUID' }], 'invalid_parameter');
  }
  return key;
}

/** The saga fault of `x-saga-fault` when fault injection is on in this function; null otherwise (the header is then ignored). */
export function sagaFault(event: HttpEvent, faultInjection: boolean): StepFault | null {
  if (!faultInjection) return null;
  const spec = headerValue(event.headers, FAULT_HEADER);
  return spec === undefined ? null : parseSagaFault(spec);
}
