/**
 * The middleware stack of functions that Step Functions (or another function) invokes
 * directly. Input is validated with a zod schema; a domain error is rethrown with its class
 * name so that a state machine can catch it by name, and unexpected errors keep their name too.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { AppError, ValidationError } from './errors';
import { zodDetails } from './validation';
import { logger, metrics, tracer } from './powertools';

export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError('task input is invalid', zodDetails(result.error));
  return result.data;
}

const logFailures = (): middy.MiddlewareObj => ({
  onError: (request) => {
    const err = request.error as Error;
    if (err instanceof AppError && err.statusCode < 500) logger.info('task refused', { error: err.name, reason: err.message, details: err.details });
    else logger.error('task failed', { error: err });
  },
});

export function taskHandler<I, O>(handler: (input: I, context: Context) => Promise<O>) {
  return middy<I, O>(handler)
    .use(injectLambdaContext(logger, { resetKeys: true, correlationIdPath: 'correlation_id' }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(logFailures());
}
