// HTTP plumbing shared by the Lambda REST API operations: JSON and error responses, body reading, function lookup.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaServiceError, RequestTooLargeError, ResourceNotFoundError } from '../errors';
import type { LambdaRuntime } from '../runtime';
import { ACCOUNT_ID, DEFAULT_REGION, FunctionSpec } from '../types';

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, reqId: string): void {
  const buf = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(buf.length), 'x-amzn-RequestId': reqId });
  res.end(buf);
}

/** Lambda's error shape: {"Type":"User","message":...} with the error code in x-amzn-ErrorType. */
export function sendError(res: ServerResponse, err: LambdaServiceError, reqId: string): void {
  const buf = Buffer.from(JSON.stringify({ Type: 'User', message: err.message, ...err.extra }), 'utf8');
  res.writeHead(err.statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': String(buf.length),
    'x-amzn-RequestId': reqId,
    'x-amzn-ErrorType': err.errorType,
  });
  res.end(buf);
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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

export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  await new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

export function functionArn(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${DEFAULT_REGION}:${ACCOUNT_ID}:function:${nameOrArn}`;
}

/** "name:qualifier" or a qualified ARN => name (or unqualified ARN) and qualifier. */
export function splitQualifier(fnName: string): { name: string; qualifier?: string } {
  if (fnName.startsWith('arn:')) {
    const parts = fnName.split(':');
    if (parts.length === 8) return { name: parts.slice(0, 7).join(':'), qualifier: parts[7] };
    return { name: fnName };
  }
  const i = fnName.indexOf(':');
  return i >= 0 ? { name: fnName.slice(0, i), qualifier: fnName.slice(i + 1) } : { name: fnName };
}

/** The function named by a path segment (name, ARN, or either with a qualifier), or ResourceNotFoundException. */
export function mustGet(runtime: LambdaRuntime, fnName: string): FunctionSpec {
  const { name } = splitQualifier(fnName);
  const spec = runtime.get(name) ?? runtime.get(fnName);
  if (!spec) throw new ResourceNotFoundError(functionArn(name));
  return spec;
}

/** FunctionConfiguration as GetFunction and ListFunctions return it. */
export function configuration(spec: FunctionSpec): Record<string, unknown> {
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
