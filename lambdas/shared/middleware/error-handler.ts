/**
 * The one place where a failed API request becomes its answer:
 * `{ "error": { "code", "message", "details" } }` with the error's HTTP status. An AppError that
 * may be shown (a 4xx, or `expose: true`) is answered as it is. Anything else, an unexpected
 * error or an AppError with `expose: false`, is answered with its status (500 for a non-AppError)
 * and the generic message "internal error" with no details: a 5xx never leaks internals to the
 * client (middy's `expose` rule), while the log gets the real error with its stack and cause.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { AppError } from '../errors';
import { logger } from '../powertools';
import { echoCorrelationId } from './correlation-ids';

export const GENERIC_MESSAGE = 'internal error';

/** The response of an error, in the platform's shape. */
export function errorResponse(err: AppError): APIGatewayProxyResult {
  return {
    statusCode: err.statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      error: {
        code: err.code,
        message: err.expose ? err.message : GENERIC_MESSAGE,
        details: err.expose ? err.details : [],
      },
    }),
  };
}

/** An error as the platform answers it: AppErrors as they are, anything else as an unexposed 500. */
export function asAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError(500, 'internal_error', GENERIC_MESSAGE, { cause: err, expose: false });
}

export function errorHandler(): middy.MiddlewareObj<unknown, APIGatewayProxyResult> {
  const errorHandlerOnError = (request: middy.Request<unknown, APIGatewayProxyResult>): void => {
    const err = request.error;
    const appError = asAppError(err);
    if (appError.statusCode >= 500) logger.error('request failed', { error: err as Error });
    else logger.info('request rejected', { status: appError.statusCode, code: appError.code, reason: appError.message });
    request.response = errorResponse(appError);
    echoCorrelationId(request);
  };

  return { name: 'errorHandler', onError: errorHandlerOnError };
}
