// The AWS Lambda REST API subset served on the edge endpoint (restJson1, API version 2015-03-31):
// Invoke, GetFunction, GetFunctionConfiguration and ListFunctions, backed by a LambdaRuntime.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParameterValueError, InvalidRequestContentError, LambdaServiceError, RequestTooLargeError, ResourceNotFoundError } from './errors';
import { requestId as newRequestId } from './ids';
import { LambdaRuntime, MAX_SYNC_PAYLOAD } from './runtime';
import { ACCOUNT_ID, DEFAULT_REGION, FunctionSpec, InvokeResult } from './types';

const PREFIX = '/2015-03-31/functions';
/** X-Amz-Log-Result carries the last 4 KB of the log. */
const TAIL_BYTES = 4096;

export function createLambdaApiHandler(runtime: LambdaRuntime): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(PREFIX)) return false;
    const q = url.indexOf('?');
    const pathname = q >= 0 ? url.slice(0, q) : url;
    const query = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
    const rest = pathname.slice(PREFIX.length);
    const method = req.method ?? 'GET';
    const reqId = newRequestId();
    try {
      if (rest === '' || rest === '/') {
        if (method !== 'GET') return false;
        await drain(req);
        listFunctions(runtime, query, res, reqId);
        return true;
      }
      const parts = rest.slice(1).split('/');
      const fnName = decodeURIComponent(parts[0]);
      if (parts.length === 2 && parts[1] === 'invocations' && method === 'POST') {
        await invoke(runtime, fnName, query, req, res, reqId);
        return true;
      }
      if (parts.length === 1 && method === 'GET') {
        await drain(req);
        const spec = mustGet(runtime, fnName);
        const doc: Record<string, unknown> = { Configuration: configuration(spec), Code: { RepositoryType: 'S3', Location: `file://${spec.codeDir}` }, Tags: {} };
        if (spec.reservedConcurrency !== undefined) doc.Concurrency = { ReservedConcurrentExecutions: spec.reservedConcurrency };
        sendJson(res, 200, doc, reqId);
        return true;
      }
      if (parts.length === 2 && parts[1] === 'configuration' && method === 'GET') {
        await drain(req);
        sendJson(res, 200, configuration(mustGet(runtime, fnName)), reqId);
        return true;
      }
      return false;
    } catch (err) {
      if (err instanceof LambdaServiceError) {
        sendError(res, err, reqId);
        return true;
      }
      throw err;
    }
  };
}

function mustGet(runtime: LambdaRuntime, fnName: string): FunctionSpec {
  const { name } = splitQualifier(fnName);
  const spec = runtime.get(name) ?? runtime.get(fnName);
  if (!spec) throw new ResourceNotFoundError(fnArn(name));
  return spec;
}

function fnArn(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${DEFAULT_REGION}:${ACCOUNT_ID}:function:${nameOrArn}`;
}

/** "name:qualifier" or a qualified ARN => name (or unqualified ARN) and qualifier. */
function splitQualifier(fnName: string): { name: string; qualifier?: string } {
  if (fnName.startsWith('arn:')) {
    const parts = fnName.split(':');
    if (parts.length === 8) return { name: parts.slice(0, 7).join(':'), qualifier: parts[7] };
    return { name: fnName };
  }
  const i = fnName.indexOf(':');
  return i >= 0 ? { name: fnName.slice(0, i), qualifier: fnName.slice(i + 1) } : { name: fnName };
}

async function invoke(
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

function configuration(spec: FunctionSpec): Record<string, unknown> {
  return {
    FunctionName: spec.name,
    FunctionArn: spec.arn,
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::${ACCOUNT_ID}:role/lambda-role`,
    Handler: spec.handler,
    CodeSize: 0,
    Description: '',
    Timeout: spec.timeoutSeconds,
    MemorySize: spec.memoryMb,
    Version: '$LATEST',
    Environment: { Variables: { ...spec.environment } },
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    State: 'Active',
    LastUpdateStatus: 'Successful',
    TracingConfig: { Mode: 'PassThrough' },
  };
}

function listFunctions(runtime: LambdaRuntime, query: URLSearchParams, res: ServerResponse, reqId: string): void {
  const all = runtime.list().sort((a, b) => a.name.localeCompare(b.name));
  const max = Math.min(50, Math.max(1, Number(query.get('MaxItems') ?? 50) || 50));
  const marker = query.get('Marker');
  const start = marker ? Math.max(0, all.findIndex((f) => f.name === marker)) : 0;
  const page = all.slice(start, start + max);
  const next = all[start + max];
  sendJson(res, 200, { Functions: page.map(configuration), ...(next ? { NextMarker: next.name } : {}) }, reqId);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown, reqId: string): void {
  const buf = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(buf.length), 'x-amzn-RequestId': reqId });
  res.end(buf);
}

function sendError(res: ServerResponse, err: LambdaServiceError, reqId: string): void {
  const buf = Buffer.from(JSON.stringify({ Type: 'User', message: err.message, ...err.extra }), 'utf8');
  res.writeHead(err.statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': String(buf.length),
    'x-amzn-RequestId': reqId,
    'x-amzn-ErrorType': err.errorType,
  });
  res.end(buf);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => (over ? reject(new RequestTooLargeError(size, limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  await new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}
