// Lambda Invoke (POST /2015-03-31/functions/{FunctionName}/invocations): RequestResponse, Event and DryRun
// invocation types, X-Amz-Log-Type: Tail, X-Amz-Client-Context; function errors as 200 with X-Amz-Function-Error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParameterValueError, InvalidRequestContentError, LambdaServiceError, ResourceNotFoundError } from '../errors';
import { LambdaRuntime, MAX_SYNC_PAYLOAD } from '../runtime';
import type { FunctionSpec, InvokeResult } from '../types';
import { header, mustGet, readBody, sendError, splitQualifier } from './http';

/** X-Amz-Log-Result carries the last 4 KB of the log. */
const TAIL_BYTES = 4096;

export async function invoke(
  runtime: LambdaRuntime,
  fnName: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  reqId: string,
): Promise<void> {
  const body = await readBody(req, MAX_SYNC_PAYLOAD);
  const { qualifier: inlineQualifier } = splitQualifier(fnName);
  const spec = mustGet(runtime, fnName);
  const qualifier = query.get('Qualifier') ?? inlineQualifier;
  if (qualifier && qualifier !== '$LATEST') throw new ResourceNotFoundError(`${spec.arn}:${qualifier}`);
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'Event' && invocationType !== 'DryRun') {
    throw new InvalidParameterValueError(`Unsupported invocation type: ${invocationType}`);
  }
  let payload: unknown = {};
  if (body.length > 0) {
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      throw new InvalidRequestContentError('Could not parse request body into json: Could not parse payload into json');
    }
  }
  if (invocationType === 'DryRun') {
    res.writeHead(204, { 'x-amzn-RequestId': reqId, 'Content-Length': '0' });
    res.end();
    return;
  }
  const clientContext = header(req, 'x-amz-client-context');
  const traceHeader = header(req, 'x-amzn-trace-id');
  if (invocationType === 'Event') {
    const r = await runtime.invoke(spec.name, payload, { invocationType: 'Event', clientContext, traceHeader });
    res.writeHead(202, { 'x-amzn-RequestId': r.requestId, 'Content-Length': '0' });
    res.end();
    return;
  }
  const result = await runtime.invoke(spec.name, payload, { invocationType: 'RequestResponse', clientContext, traceHeader });
  if (result.status === 'throttled') {
    const err = new LambdaServiceError('TooManyRequestsException', 429, 'Rate Exceeded.', { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    sendError(res, err, result.requestId);
    return;
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': result.requestId,
    'X-Amz-Executed-Version': '$LATEST',
  };
  if (header(req, 'x-amz-log-type') === 'Tail') headers['X-Amz-Log-Result'] = tail(result, spec);
  let out: string;
  if (result.status === 'ok') {
    out = JSON.stringify(result.payload);
  } else {
    headers['X-Amz-Function-Error'] = 'Unhandled';
    out =
      result.status === 'timeout'
        ? JSON.stringify({ errorType: result.errorType, errorMessage: `RequestId: ${result.requestId} Error: ${result.errorMessage}` })
        : JSON.stringify({ errorType: result.errorType, errorMessage: result.errorMessage, trace: result.trace });
  }
  const buf = Buffer.from(out, 'utf8');
  headers['Content-Length'] = String(buf.length);
  res.writeHead(200, headers);
  res.end(buf);
}

/** The log as Lambda tails it: START/END/REPORT around the function output, last 4 KB, base64. */
function tail(result: Exclude<InvokeResult, { status: 'throttled' }>, spec: FunctionSpec): string {
  const dur = result.durationMs.toFixed(2);
  const billed = Math.max(1, Math.ceil(result.durationMs));
  let text = `START RequestId: ${result.requestId} Version: $LATEST\n${result.logs}`;
  if (result.status === 'timeout') text += `${new Date().toISOString()} ${result.requestId} ${result.errorMessage}\n`;
  text += `END RequestId: ${result.requestId}\n`;
  text += `REPORT RequestId: ${result.requestId}\tDuration: ${dur} ms\tBilled Duration: ${billed} ms\tMemory Size: ${spec.memoryMb} MB\tMax Memory Used: ${spec.memoryMb} MB\t\n`;
  const buf = Buffer.from(text, 'utf8');
  return buf.subarray(Math.max(0, buf.length - TAIL_BYTES)).toString('base64');
}
