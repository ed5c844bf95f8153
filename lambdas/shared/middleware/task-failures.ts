/**
 * How a failed task is logged. The error itself is left to fail the invocation, so that a state
 * machine can catch it by name: a refusal (a 4xx AppError, such as not enough stock) is an
 * outcome and logged as info; anything else is logged as an error with its stack.
 */
import type middy from '@middy/core';
import { AppError } from '../errors';
import { logger } from '../powertools';

export function taskFailures(): middy.MiddlewareObj {
  const taskFailuresOnError = (request: middy.Request): void => {
    const err = request.error as Error;
    if (err instanceof AppError && err.statusCode < 500) logger.info('task refused', { error: err.name, reason: err.message, details: err.details });
    else logger.error('task failed', { error: err });
  };

  return { name: 'taskFailures', onError: taskFailuresOnError };
}
