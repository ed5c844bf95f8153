/**
 * The HTTP side of every API function: `httpHandler()` wraps a route in the platform's one
 * middleware stack, and small helpers validate input with zod schemas and build responses.
 *
 * The stack, outermost first: Powertools (logger, tracer, metrics), the error handler (every
 * failure becomes the platform's error shape), correlation ids, fault injection, the JSON body.
 * The error handler sits inside Powertools so that it logs a failure before the logger forgets
 * the request's keys (its correlation id) at the end of the invocation.
 */
import middy from '@middy/core';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { BadRequestError, ValidationError } from './errors';
import { correlationIds } from './middleware/correlation-ids';
import { errorHandler } from './middleware/error-handler';
import { faultInjection } from './middleware/fault-injection';
import { jsonBody, type JsonBodyEvent } from './middleware/json-body';
import { observability } from './middleware/observability';
import { zodDetails } from './validation';

export type HttpEvent = JsonBodyEvent;
/** The bare function of one API route: an event in, a response out (errors thrown, the stack answers them). */
export type HttpRoute = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResult>;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Validates the parsed JSON body; a schema failure is a 422 naming each bad field. */
export function parseBody<S extends z.ZodType>(event: HttpEvent, schema: S): z.output<S> {
  if (event.parsedBody === undefined) throw new BadRequestError('request body is required', [], 'missing_body');
  const result = schema.safeParse(event.parsedBody);
  if (!result.success) throw new ValidationError('request body is invalid', zodDetails(result.error));
  return result.data;
}

/** Validates path or query parameters; a failure is a 400 naming the parameter. */
export function parseParams<S extends z.ZodType>(input: unknown, schema: S, where: 'path' | 'query'): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new BadRequestError(`invalid ${where} parameter`, zodDetails(result.error), 'invalid_parameter');
  }
  return result.data;
}

export interface HttpHandlerOptions {
  /** largest accepted body in bytes (default 256 KiB) */
  maxBodyBytes?: number;
}

/**
 * The Lambda entry point of an API function: the route in the platform's middleware stack. The
 * route stays exported beside it (as `<operation>Route`) for unit tests and routers.
 */
export function httpHandler(route: HttpRoute, options: HttpHandlerOptions = {}) {
  return middy<HttpEvent, APIGatewayProxyResult>(route)
    .use(observability())
    .use(errorHandler())
    .use(correlationIds())
    .use(faultInjection())
    .use(jsonBody({ maxBytes: options.maxBodyBytes }));
}
