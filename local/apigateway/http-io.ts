// Request and response plumbing of the local API Gateway: body reading with the 10 MB limit (refused at once, not
// after reading the rest), gateway error responses, header and query-string helpers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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

/**
 * Sends a gateway error. When the request's body has not been read (refused before it was: no
 * route, bad key, too large), the connection is closed rather than the body read to reuse it.
 */
export function sendError(res: ServerResponse, err: GatewayError, requestId: string, apigwId: string, traceHeader: string | undefined, req?: IncomingMessage): void {
  const body = err.body;
  const headers: Record<string, string | number> = {
    'content-type': err instanceof RequestTooLarge ? err.contentType : 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (!(err instanceof RequestTooLarge)) {
    headers['x-amzn-RequestId'] = requestId;
    headers['x-amz-apigw-id'] = apigwId;
  }
  if (err.errorType) headers['x-amzn-ErrorType'] = err.errorType;
  if (traceHeader && !(err instanceof RequestTooLarge)) headers['X-Amzn-Trace-Id'] = traceHeader;
  const unread = req !== undefined && hasBody(req) && !req.readableEnded;
  if (err.statusCode === 413 || unread) {
    headers.connection = 'close';
    if (unread) lingerOnClose(res);
  }
  res.writeHead(err.statusCode, headers);
  res.end(body);
}

/** How long a refused request's body is still read (and dropped) after the answer, at most. */
const LINGER_MS = 10_000;

/**
 * Closes the connection of an answer sent before the request's body was read as web servers do
 * ("lingering close"): the answer and a FIN go out, then what the client is still sending is read
 * and dropped until it closes its side (or LINGER_MS pass), and only then is the socket closed.
 * Node's server closes it as soon as the answer is written, and closing a socket with unread
 * bytes makes the kernel send a reset: a client still uploading its body (a 7 or 11 MB one
 * refused at once) then sees the reset instead of the 403 or 413 it was sent.
 */
function lingerOnClose(res: ServerResponse): void {
  const socket = res.socket as (Socket & { destroySoon?: () => void }) | null;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy());
    socket.on('data', () => undefined); // dropped (the request's parser may already be detached)
    socket.resume();
  };
}

/** Whether the declared Content-Length is over the 10 MB payload limit (refused before anything else). */
export function declaredTooLarge(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return cl !== undefined && Number(cl) > MAX_BODY_BYTES;
}

export function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads the request body (null when empty). A body that goes over 10 MB (a chunked one, or one
 * longer than its Content-Length claimed) rejects with RequestTooLarge as soon as the limit is
 * crossed: the rest is never read, and the caller's 413 closes the connection.
 */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  if (declaredTooLarge(req)) return Promise.reject(new RequestTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        req.off('data', onData);
        req.resume(); // the rest is dropped as it comes (the 413 goes out at once; see lingerOnClose)
        reject(new RequestTooLarge());
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)) : null));
    req.on('error', reject);
  });
}
