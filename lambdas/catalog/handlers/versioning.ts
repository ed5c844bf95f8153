/**
 * Optimistic concurrency over HTTP: the version a client read comes back as the body's
 * `version` or an `If-Match` header (`"3"`, `W/"3"` or `3`); responses carry it as an ETag.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError, ValidationError } from '../../shared/errors';
import { headerValue } from '../../shared/headers';

export const etag = (version: number): string => `"${version}"`;

/** The version the request expects, from the body or If-Match (they must agree when both are sent). */
export function expectedVersion(event: APIGatewayProxyEvent, bodyVersion: number | undefined, required: true): number;
export function expectedVersion(event: APIGatewayProxyEvent, bodyVersion: number | undefined, required: false): number | undefined;
export function expectedVersion(event: APIGatewayProxyEvent, bodyVersion: number | undefined, required: boolean): number | undefined {
  const header = headerValue(event.headers, 'if-match');
  let fromHeader: number | undefined;
  if (header !== undefined && header.trim() !== '*') {
    const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
    if (!m) throw new BadRequestError('If-Match must name a product version, like "3"', [{ field: 'If-Match', message: 'not a version' }], 'invalid_parameter');
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ValidationError('the version in the body and in If-Match differ', [{ field: 'version', message: `body ${bodyVersion}, If-Match ${fromHeader}` }]);
  }
  const version = bodyVersion ?? fromHeader;
  if (version === undefined && required) {
    throw new ValidationError('the product version you read is required', [
      { field: 'version', message: 'required: send the version you read as the body field "version" or an If-Match header' },
    ]);
  }
  return version;
}
