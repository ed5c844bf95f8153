/**
 * JSON request bodies, parsed into `event.parsedBody`. Written here rather than taken from
 * @middy/http-json-body-parser because the design needs distinct answers that the library folds
 * together: 413 for an oversized body, 415 for a content type that is not JSON, 400 for malformed
 * JSON, each in the platform's error shape. No body is not an error here: a route that needs one
 * says so when it validates it.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { headerValue } from '../headers';

export type JsonBodyEvent = APIGatewayProxyEvent & { parsedBody?: unknown };

export interface JsonBodyOptions {
  /** largest accepted body in bytes (default 256 KiB; API Gateway itself stops at 10 MB) */
  maxBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** application/json and the structured-syntax types built on it (application/problem+json, ...). */
const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

export function jsonBody(options: JsonBodyOptions = {}): middy.MiddlewareObj<JsonBodyEvent, APIGatewayProxyResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;

  const jsonBodyBefore = (request: middy.Request<JsonBodyEvent, APIGatewayProxyResult>): void => {
    const { event } = request;
    if (event.body === null || event.body === undefined || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
      throw new PayloadTooLargeError(`request body is larger than ${maxBytes} bytes`, [{ message: `limit ${maxBytes} bytes` }]);
    }
    const contentType = headerValue(event.headers, 'content-type');
    if (contentType && !JSON_CONTENT_TYPE.test(contentType)) {
      throw new UnsupportedMediaTypeError(`content type ${contentType} is not supported; send application/json`);
    }
    try {
      event.parsedBody = JSON.parse(raw);
    } catch (cause) {
      throw new BadRequestError('request body is not valid JSON', [{ message: (cause as Error).message }], 'invalid_json');
    }
  };

  return { name: 'jsonBody', before: jsonBodyBefore };
}
