/**
 * The AWS JSON 1.1 protocol EventBridge speaks (as @aws-sdk/client-eventbridge sends it):
 *
 *   POST /  X-Amz-Target: AWSEvents.<Operation>  Content-Type: application/x-amz-json-1.1
 *   body: the request members as JSON (timestamps as epoch seconds)
 *
 *   200  {...response members...}
 *   4xx  {"__type": "<ErrorName>", "message": "..."}  with header x-amzn-ErrorType: <ErrorName>
 *
 * The route answers only requests whose target starts with "AWSEvents." (it resolves false for
 * others without reading their body), so it can sit on the shared edge endpoint.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventBridgeError } from './errors';

export type EdgeRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
export type Handler = (input: Record<string, unknown>) => unknown;

export const TARGET_PREFIX = 'AWSEvents.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** PutEvents carries at most 256 KiB of entries; JSON escaping can double that. */
const MAX_BODY = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

export function sendError(res: ServerResponse, err: EventBridgeError, requestId: string): void {
  send(res, err.status, { __type: err.type, message: err.message }, requestId, err.type);
}

/**
 * `resolve(operation)` gives the handler of an operation, or throws the EventBridgeError to answer
 * (an unknown or not emulated operation).
 */
export function createRoute(resolve: (operation: string) => Handler, log: (m: string) => void): EdgeRoute {
  return async (req, res) => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return false;
    const requestId = randomUUID();
    const operation = target.slice(TARGET_PREFIX.length);
    try {
      const body = await readBody(req);
      if (body === null) throw new EventBridgeError('SerializationException', 'Request body is too large.', 413);
      const handler = resolve(operation);
      let input: unknown = {};
      if (body.length > 0) {
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          throw new EventBridgeError('SerializationException', 'Start of structure or map found where not expected.');
        }
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new EventBridgeError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const out = await handler(input as Record<string, unknown>);
      send(res, 200, out ?? {}, requestId);
    } catch (err) {
      if (err instanceof EventBridgeError) sendError(res, err, requestId);
      else {
        log(`eventbridge: ${operation} failed: ${(err as Error).stack ?? String(err)}`);
        send(res, 500, { __type: 'InternalException', message: 'An internal error occurred.' }, requestId, 'InternalException');
      }
    }
    return true;
  };
}
