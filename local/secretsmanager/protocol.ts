/**
 * The AWS JSON 1.1 protocol as @aws-sdk/client-secrets-manager speaks it:
 *
 *   POST /  X-Amz-Target: secretsmanager.<Operation>  Content-Type: application/x-amz-json-1.1
 *   body: the request members as JSON (blobs base64, timestamps epoch seconds)
 *
 *   200  {...response members...}
 *   4xx  {"__type": "<ErrorName>", "Message": "..."}  with header x-amzn-ErrorType: <ErrorName>
 *
 * The route answers only requests whose target starts with `secretsmanager.` and resolves false
 * for any other without reading its body, so it sits on the shared edge endpoint.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeRoute } from '../edge';
import { SecretsManagerError } from './errors';

export const TARGET_PREFIX = 'secretsmanager.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** A secret value is at most 64 KiB; base64 and JSON escaping stay well under this. */
const MAX_BODY = 1024 * 1024;

export type Input = Record<string, unknown>;
export type Handler = (input: Input) => unknown;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
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

/** `resolve(operation)` gives the handler of an operation or throws the error to answer. */
export function createRoute(resolve: (operation: string) => Handler, log: (m: string) => void): EdgeRoute {
  return async (req, res) => {
    const target = req.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return false;
    const requestId = randomUUID();
    const operation = target.slice(TARGET_PREFIX.length);
    try {
      const body = await readBody(req);
      if (body === null) throw new SecretsManagerError('SerializationException', 'Request body is too large.', 413);
      const handler = resolve(operation);
      let input: unknown = {};
      if (body.length > 0) {
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          throw new SecretsManagerError('SerializationException', 'Start of structure or map found where not expected.');
        }
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new SecretsManagerError('SerializationException', 'Start of structure or map found where not expected.');
      }
      send(res, 200, (await handler(input as Input)) ?? {}, requestId);
    } catch (err) {
      if (err instanceof SecretsManagerError) send(res, err.status, { __type: err.type, Message: err.message }, requestId, err.type);
      else {
        log(`secretsmanager: ${operation} failed: ${(err as Error).stack ?? String(err)}`);
        send(res, 500, { __type: 'InternalServiceError', Message: 'An error occurred on the server side.' }, requestId, 'InternalServiceError');
      }
    }
    return true;
  };
}
