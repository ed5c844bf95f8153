// Request and response plumbing of the local API Gateway: body reading with the 10 MB limit, draining, gateway
// error responses, header and query-string helpers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, RequestTooLarge } from './responses';

/** REST API payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function queryView(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of qs.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    try {
      out[decodeURIComponent(k)] = '';
    } catch {
      out[k] = '';
    }
  }
  return out;
}

export function sendError(res: ServerResponse, err: GatewayError, requestId: string, apigwId: string, traceHeader: string | undefined): void {
  const body = err.body;
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    'x-amz-apigw-id': apigwId,
  };
  if (err.errorType) headers['x-amzn-ErrorType'] = err.errorType;
  if (traceHeader) headers['X-Amzn-Trace-Id'] = traceHeader;
  if (err.statusCode === 413) headers.connection = 'close';
  res.writeHead(err.statusCode, headers);
  res.end(body);
}

export function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Reads the request body (null when empty); over 10 MB it is drained and RequestTooLarge thrown. */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const cl = req.headers['content-length'];
  const declared = cl === undefined ? 0 : Number(cl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > MAX_BODY_BYTES;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (over) reject(new RequestTooLarge());
      else resolve(size ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)) : null);
    });
    req.on('error', reject);
  });
}

export function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)) {
    req.resume();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

