/**
 * The HTTP side of every API handler: one middy stack (Powertools logger/tracer/metrics,
 * correlation ids, JSON body parsing, error mapping) and small helpers to validate input with
 * zod schemas and to build responses.
 *
 * Body parsing is done here rather than with @middy/http-json-body-parser because the design
 * needs distinct answers the library folds together: 415 for a non-JSON content type, 413 for
 * an oversized body, 400 for malformed JSON, each in the platform's error shape.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import {
  AppError,
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import { faultInjection } from './fault-injection';
import { headerValue } from './headers';
import { logger, metrics, tracer } from './powertools';
import { zodDetails } from './validation';

export type HttpEvent = APIGatewayProxyEvent & { parsedBody?: unknown };
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResult>;

const CORRELATION_HEADER = 'x-correlation-id';
const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(err: AppError): APIGatewayProxyResult {
  return json(err.statusCode, {
    error: {
      code: err.code,
      message: err.expose ? err.message : 'internal error',
      details: err.expose ? err.details : [],
    },
  });
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

interface StackOptions {
  /** Largest accepted body; API Gateway itself stops at 10 MB. */
  maxBodyBytes?: number;
}

const correlationIds = (): middy.MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  before: (request) => {
    const id = headerValue(request.event.headers, CORRELATION_HEADER) ?? request.event.requestContext?.requestId ?? request.context.awsRequestId;
    logger.appendKeys({ correlation_id: id });
    (request.internal as Record<string, unknown>).correlationId = id;
  },
  after: (request) => {
    const id = (request.internal as Record<string, unknown>).correlationId as string | undefined;
    if (request.response && id) {
      request.response.headers = { ...(request.response.headers ?? {}), [CORRELATION_HEADER]: id };
    }
  },
});

const jsonBody = (maxBytes: number): middy.MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  before: (request) => {
    const { event } = request;
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
      throw new PayloadTooLargeError(`request body is larger than ${maxBytes} bytes`, [{ message: `limit ${maxBytes} bytes` }]);
    }
    const contentType = headerValue(event.headers, 'content-type');
    if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
      throw new UnsupportedMediaTypeError(`content type ${contentType} is not supported; send application/json`);
    }
    try {
      event.parsedBody = JSON.parse(raw);
    } catch (cause) {
      throw new BadRequestError('request body is not valid JSON', [{ message: (cause as Error).message }], 'invalid_json');
    }
  },
});

const errorHandler = (): middy.MiddlewareObj<HttpEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    const err = request.error;
    const appError =
      err instanceof AppError ? err : new AppError(500, 'internal_error', 'internal error', { cause: err, expose: false });
    if (appError.statusCode >= 500) logger.error('request failed', { error: err as Error });
    else logger.info('request rejected', { status: appError.statusCode, code: appError.code, reason: appError.message });
    request.response = errorResponse(appError);
    const id = (request.internal as Record<string, unknown>).correlationId as string | undefined;
    if (id) request.response.headers = { ...request.response.headers, [CORRELATION_HEADER]: id };
  },
});

/**
 * Wraps a thin handler in the platform's middleware stack. The bare handler stays exported
 * for unit tests; Lambda gets the wrapped one.
 */
export function httpHandler(handler: HttpHandler, options: StackOptions = {}) {
  return middy<HttpEvent, APIGatewayProxyResult>(handler)
    .use(errorHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(correlationIds())
    .use(faultInjection())
    .use(jsonBody(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
}
