/**
 * AWS JSON 1.0 plumbing: a request is a POST with `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON
 * body; a success is HTTP 200 with a JSON body; an error is HTTP 400 with `{"__type": "<Name>",
 * "message": "..."}` and `x-amzn-ErrorType: <Name>`. Timestamps travel as epoch seconds.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { SfnApiError, validation } from '../errors';

export const MAX_BODY = 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new SfnApiError('ValidationException', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': crypto.randomUUID(),
    ...extra,
  });
  res.end(text);
}

export function sendError(res: http.ServerResponse, e: SfnApiError): void {
  send(res, e.status, { __type: e.type, message: e.message }, { 'x-amzn-ErrorType': e.type });
}

/** Epoch milliseconds as the epoch seconds AWS JSON protocols carry. */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

export function requireString(input: Record<string, unknown>, field: string): string {
  const v = input[field];
  if (v === undefined || v === null) throw validation(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (typeof v !== 'string') throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be a string`);
  return v;
}

export function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be a string`);
  return v;
}

/** maxResults: 0 or absent means the default; at most 1000. */
export function pageSize(input: Record<string, unknown>, dflt = 100): number {
  const v = input.maxResults;
  if (v === undefined || v === null || v === 0) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw validation(`1 validation error detected: Value '${String(v)}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  if (v > 1000) throw validation(`1 validation error detected: Value '${v}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  return v;
}

/** Pagination tokens: opaque, bound to the listing they continue. */
export function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

export function decodeToken(token: unknown, scope: string, maxLen = 1024): number {
  if (token === undefined || token === null) return 0;
  if (typeof token !== 'string' || token.length === 0) throw validation("1 validation error detected: Value at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (token.length > maxLen) throw validation(`1 validation error detected: Value '${token}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to ${maxLen}`);
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (v.s === scope && typeof v.o === 'number' && v.o >= 0) return v.o;
  } catch {
    // fall through
  }
  throw new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
}
