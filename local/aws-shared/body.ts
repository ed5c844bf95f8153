/**
 * Request bodies shared by the routes of the edge endpoint.
 *
 * The edge tries each service's route in turn. A route that must look inside the body to know
 * whether a request is its own (the query protocol's `Action=...` of SNS and SQS) reads it through
 * `bufferedBody`, which keeps the bytes per request (a WeakMap on the IncomingMessage): the next
 * route that calls `bufferedBody` gets the same bytes although the stream is already consumed.
 * Routes that read the stream themselves (Lambda, API Gateway) are never reached with a
 * consumed stream, because a query-protocol route only reads the body of a form POST
 * (`application/x-www-form-urlencoded`, which no REST-JSON route accepts) that is either signed
 * for its own service (SigV4 credential scope) or, unsigned, sent to the paths its protocol
 * uses (`/`, and for SQS a queue URL's `/<account>/<name>`). Any route that may follow a
 * query-protocol route and reads bodies should read them through `bufferedBody` too.
 */
import type { IncomingMessage } from 'node:http';

const bodies = new WeakMap<IncomingMessage, Promise<Buffer>>();

export class BodyTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`request body of ${size} bytes is over the limit of ${limit} bytes`);
  }
}

/** The whole body, read once per request whoever asks first. Rejects over `limit` bytes (the rest is drained). */
export function bufferedBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  let p = bodies.get(req);
  if (!p) {
    p = new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= limit) chunks.push(c);
      });
      req.on('end', () => (size > limit ? reject(new BodyTooLargeError(size, limit)) : resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))));
      req.on('error', reject);
    });
    p.catch(() => {}); // the caller handles it; no unhandled rejection if nobody awaits again
    bodies.set(req, p);
  }
  return p;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The service name in a SigV4 credential scope (`Credential=AKID/20260101/us-east-1/sns/aws4_request`). */
export function signingService(req: IncomingMessage): string | undefined {
  const auth = header(req, 'authorization');
  if (auth) {
    const m = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
    if (m) return m[1];
  }
  const cred = new URL(req.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential');
  return cred?.split('/')[3];
}

/** The region in a SigV4 credential scope, if signed. */
export function signingRegion(req: IncomingMessage): string | undefined {
  const auth = header(req, 'authorization');
  const m = auth ? /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request/.exec(auth) : null;
  return m?.[1];
}

export function isFormPost(req: IncomingMessage): boolean {
  return req.method === 'POST' && (header(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * A signal that aborts when the client goes away before the answer is written (a long poll
 * whose caller gave up). Created lazily: most requests never look at it, and an AbortController
 * with its DOMException per request is a measurable cost at thousands of requests a second.
 */
export function closeSignal(res: import('node:http').ServerResponse): AbortSignal {
  let controller: AbortController | undefined;
  let closed = false;
  res.once('close', () => {
    if (res.writableFinished) return;
    closed = true;
    controller?.abort();
  });
  return {
    get aborted() {
      return closed;
    },
    addEventListener(_type: string, fn: () => void) {
      controller ??= new AbortController();
      if (closed) controller.abort();
      controller.signal.addEventListener('abort', fn);
    },
    removeEventListener(_type: string, fn: () => void) {
      controller?.signal.removeEventListener('abort', fn);
    },
  } as AbortSignal;
}
