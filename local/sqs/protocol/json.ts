/**
 * SQS over AWS JSON 1.0 (what @aws-sdk/client-sqs speaks since 3.4xx): `POST /` with
 * `X-Amz-Target: AmazonSQS.<Operation>` and a JSON body; answers are JSON.
 *
 * Errors: HTTP 400 (or the modeled status) with `{"__type": "com.amazonaws.sqs#<Name>",
 * "message": "..."}`, `x-amzn-ErrorType` and `x-amzn-query-error: <query code>;Sender`. The
 * SDK's awsQueryCompatible mode takes the error's identity from that header first, so that
 * `QueueDoesNotExist` arrives as `AWS.SimpleQueueService.NonExistentQueue` as on AWS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, bufferedBody } from '../../aws-shared/body';
import { closeSignal } from '../../aws-shared/body';
import { requestId } from '../../aws-shared/ids';
import { SqsError, unsupportedOperation } from '../errors';
import type { SqsContext } from '../operations/context';
import { NOT_IMPLEMENTED, OPERATIONS } from '../registry';

const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function sendJsonError(res: ServerResponse, err: SqsError, reqId: string): void {
  const namespace = err.type === 'UnknownOperationException' || err.type === 'SerializationException' ? 'com.amazon.coral.service' : 'com.amazonaws.sqs';
  const body = Buffer.from(JSON.stringify({ __type: `${namespace}#${err.type}`, message: err.message }));
  res.writeHead(err.status, {
    'content-type': CONTENT_TYPE,
    'content-length': String(body.length),
    'x-amzn-requestid': reqId,
    'x-amzn-errortype': `${err.type}:`,
    'x-amzn-query-error': `${err.code};${err.fault}`,
  });
  res.end(body);
}

export async function handleJson(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  ctx: (signal: AbortSignal) => SqsContext,
): Promise<void> {
  const reqId = requestId();
  const opName = target.slice('AmazonSQS.'.length);
  const c = ctx(closeSignal(res));
  try {
    let input: Record<string, unknown>;
    try {
      const raw = await bufferedBody(req, 2 * 1024 * 1024 + 64 * 1024);
      input = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('not an object');
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new SqsError('RequestEntityTooLarge', 'RequestEntityTooLarge', 'Request body too large.', 413);
      throw new SqsError('SerializationException', 'SerializationException', 'Start of structure or map found where not expected.');
    }
    const op = OPERATIONS[opName];
    if (!op) {
      if (NOT_IMPLEMENTED[opName]) throw unsupportedOperation(`${opName} is not supported by the local SQS: ${NOT_IMPLEMENTED[opName]}.`);
      throw new SqsError('UnknownOperationException', 'InvalidAction', `The action ${opName} is not valid for this endpoint.`);
    }
    const out = await op(c, input);
    c.store.flush();
    if (res.destroyed) return;
    const body = Buffer.from(JSON.stringify(out ?? {}));
    res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': String(body.length), 'x-amzn-requestid': reqId });
    res.end(body);
  } catch (err) {
    c.store.flush();
    if (!(err instanceof SqsError)) throw err;
    if (!res.destroyed) sendJsonError(res, err, reqId);
  }
}
