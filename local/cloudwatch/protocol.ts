/**
 * CloudWatch's wire protocols on the edge. The service speaks three; the clients here use two:
 *
 * - AWS JSON 1.0 (`@aws-sdk/client-cloudwatch` 3.11xx): `POST /`, `X-Amz-Target:
 *   GraniteServiceVersion20100801.<Operation>`, JSON bodies, timestamps as epoch seconds;
 * - Smithy RPC v2 CBOR (botocore, the AWS CLI, newer SDKs): `POST
 *   /service/GraniteServiceVersion20100801/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor`,
 *   CBOR bodies (decoded and encoded with `@smithy/core/cbor`, the SDK's own codec), timestamps as
 *   tag 1 (epoch seconds).
 *
 * Errors: 400 (404 for a missing resource) with `__type` and `message` (CBOR: `__type` is the
 * shape id `com.amazonaws.cloudwatch#<Name>`), `x-amzn-ErrorType`, and, the service being AWS
 * query compatible, `x-amzn-query-error: <code>;Sender`. Request bodies may be gzip-compressed
 * (PutMetricData's request compression). The query protocol (form posts) is not served.
 */
import type http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { bufferedBody } from '../aws-shared/body';
import { CloudWatchError } from './errors';

export const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CBOR_PATH = /^\/service\/GraniteServiceVersion20100801\/operation\/([A-Za-z]+)$/;

export type Operation = (input: Record<string, unknown>) => unknown;

type Wire = 'json' | 'cbor';

function fromCbor(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromCbor);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.tag === 1 && 'value' in o) return Number(o.value);
    if (v instanceof Date) return v.getTime() / 1000;
    if (v instanceof Uint8Array) return v;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromCbor(x)]));
  }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function toCbor(v: unknown): unknown {
  if (v instanceof Date) return dateToTag(v);
  if (Array.isArray(v)) return v.map(toCbor);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toCbor(x);
    return out;
  }
  return v;
}

function jsonText(body: unknown): string {
  return JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

function send(res: http.ServerResponse, wire: Wire, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (wire === 'json') {
    const text = jsonText(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  } else {
    const bytes = Buffer.from(cbor.serialize(toCbor(body)));
    res.writeHead(status, { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'content-length': bytes.length, ...headers });
    res.end(bytes);
  }
}

/** The edge route for a table of operations by name. */
export function createCloudWatchRoute(operations: Record<string, Operation>, log?: (m: string) => void) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    if (req.method !== 'POST') return false;
    const target = req.headers['x-amz-target'];
    let wire: Wire;
    let name: string;
    if (typeof target === 'string' && target.startsWith(TARGET_PREFIX)) {
      wire = 'json';
      name = target.slice(TARGET_PREFIX.length);
    } else {
      const m = CBOR_PATH.exec((req.url ?? '').split('?')[0]!);
      if (!m) return false;
      wire = 'cbor';
      name = m[1]!;
    }
    const op = operations[name];
    const errorBody = (err: CloudWatchError) => ({ __type: wire === 'cbor' ? `com.amazonaws.cloudwatch#${err.type}` : err.type, message: err.message });
    const fail = (err: CloudWatchError) =>
      send(res, wire, err.status, errorBody(err), { 'x-amzn-ErrorType': err.type, 'x-amzn-query-error': `${err.queryCode};Sender` });
    try {
      if (!op) throw new CloudWatchError('UnknownOperationException', 'UnknownOperation', `The local CloudWatch does not serve ${name}`);
      let raw = await bufferedBody(req);
      if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) raw = gunzipSync(raw);
      let input: Record<string, unknown> = {};
      if (raw.length) {
        try {
          input = (wire === 'json' ? JSON.parse(raw.toString('utf8')) : fromCbor(cbor.deserialize(new Uint8Array(raw.buffer, raw.byteOffset, raw.length)))) as Record<string, unknown>;
        } catch {
          throw new CloudWatchError('SerializationException', 'SerializationException', 'The request body could not be read.');
        }
      }
      const out = await op(input ?? {});
      send(res, wire, 200, out ?? {});
    } catch (err) {
      if (err instanceof CloudWatchError) fail(err);
      else {
        log?.(`cloudwatch ${name}: ${(err as Error).stack ?? err}`);
        fail(new CloudWatchError('InternalServiceError', 'InternalFailure', 'internal error', 500));
      }
    }
    return true;
  };
}
