/**
 * The middleware stack of functions that Step Functions (or another function) invokes
 * directly. Input is validated with a zod schema; a domain error is rethrown with its class
 * name so that a state machine can catch it by name, and unexpected errors keep their name too.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from './errors';
import { observability } from './middleware/observability';
import { taskFailures } from './middleware/task-failures';
import { zodDetails } from './validation';

export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError('task input is invalid', zodDetails(result.error));
  return result.data;
}

export function taskHandler<I, O>(handler: (input: I, context: Context) => Promise<O>) {
  return middy<I, O>(handler).use(observability({ correlationIdPath: 'correlation_id' })).use(taskFailures());
}
