/**
 * The payments API function: every route under /api/payments, one function and one role (the
 * payments, idempotency and outbox tables, the provider's secret). The POST routes take an
 * Idempotency-Key; an open circuit is answered 503 with Retry-After.
 */
import { errorResponse } from '../../shared/middleware/error-handler';
import { httpHandler, type HttpRoute } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { router } from '../../shared/router';
import { idempotent } from '../dependencies';
import { CircuitOpenError } from '../domain/errors';
import { createPaymentRoute } from './create-payment';
import { getPaymentRoute } from './get-payment';
import { healthRoute } from './health';
import { refundPaymentRoute } from './refund-payment';

/** The platform's error shape for an open circuit, with the Retry-After the shared error handler has no header for. */
function withRetryAfter(route: HttpRoute): HttpRoute {
  return async (event, context) => {
    try {
      return await route(event, context);
    } catch (err) {
      if (!(err instanceof CircuitOpenError)) throw err;
      logger.info('request rejected', { status: 503, code: err.code, reason: err.message });
      const res = errorResponse(err);
      return { ...res, headers: { ...res.headers, 'retry-after': String(err.retryAfterSeconds) } };
    }
  };
}

const idempotentRoute = idempotent();

export const handler = httpHandler(
  withRetryAfter(
    router({
      'POST /api/payments': idempotentRoute(createPaymentRoute),
      'GET /api/payments/health': healthRoute,
      'GET /api/payments/{id}': getPaymentRoute,
      'POST /api/payments/{id}/refund': idempotentRoute(refundPaymentRoute),
    }),
  ),
);
