/**
 * Lambda tasks, through the injected invoke function (the local Lambda runtime):
 *
 * - `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: parameters FunctionName, Payload, InvocationType,
 *   Qualifier; output {ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}.
 * - a plain function ARN as Resource (the legacy form): the state's input is the event, the output is the
 *   function's result as it is.
 *
 * Errors, as Step Functions names them for Retry and Catch: a function error is the function's own
 * errorType with the error payload as cause ({"errorType","errorMessage","trace"}); a function that ran
 * out of time is "Sandbox.Timedout" (the Lambda runtime's errorType: AWS reports it as a function error,
 * while the Task's own TimeoutSeconds gives States.Timeout); a throttle is Lambda.TooManyRequestsException;
 * an unknown function Lambda.ResourceNotFoundException; anything else Lambda.ServiceException.
 */
import crypto from 'node:crypto';
import { StatesError } from '../runtime/errors';
import type { Integration, TaskCall } from './types';

/** What the injected invoke resolves (a subset of local/lambda/types.ts InvokeResult). */
export type LambdaInvokeResult =
  | { status: 'ok'; payload: unknown; requestId: string }
  | { status: 'error'; errorType: string; errorMessage: string; trace?: string[]; requestId: string }
  | { status: 'timeout'; errorType: string; errorMessage: string; requestId: string }
  | { status: 'throttled'; errorType: string; errorMessage: string; requestId: string };

export type InvokeLambda = (
  functionNameOrArn: string,
  payload: unknown,
  opts: { traceHeader?: string; invocationType?: 'RequestResponse' | 'Event' },
) => Promise<LambdaInvokeResult>;

const sdkCause = (message: string, status: number, code: string, rid: string) => `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${rid}; Proxy: null)`;

function functionArn(name: string, region: string, account: string): string {
  if (name.startsWith('arn:')) return name.split(':').length === 7 ? `${name}:$LATEST` : name;
  return `arn:aws:lambda:${region}:${account}:function:${name}:$LATEST`;
}

/** Invokes and turns every failure into the StatesError Step Functions records. */
async function invoke(fn: InvokeLambda, name: string, payload: unknown, c: TaskCall, env: { region: string; account: string }, type?: 'RequestResponse' | 'Event') {
  let r: LambdaInvokeResult;
  try {
    r = await fn(name, payload, { traceHeader: c.traceHeader, invocationType: type });
  } catch (e) {
    const err = e as Error;
    const rid = crypto.randomUUID();
    if (/ResourceNotFound/.test(err.name) || /not found/i.test(err.message)) {
      throw new StatesError('Lambda.ResourceNotFoundException', sdkCause(`Function not found: ${functionArn(name, env.region, env.account)}`, 404, 'ResourceNotFoundException', rid));
    }
    const status = (e as { statusCode?: number }).statusCode;
    if (status && status < 500 && /^[A-Za-z]+Exception$/.test(err.name)) throw new StatesError(`Lambda.${err.name}`, sdkCause(err.message, status, err.name, rid));
    throw new StatesError('Lambda.ServiceException', sdkCause(err.message, 500, 'ServiceException', rid));
  }
  switch (r.status) {
    case 'ok':
      return r;
    case 'throttled':
      throw new StatesError('Lambda.TooManyRequestsException', sdkCause('Rate Exceeded.', 429, 'TooManyRequestsException', r.requestId));
    case 'timeout':
      throw new StatesError(r.errorType || 'Sandbox.Timedout', JSON.stringify({ errorType: r.errorType || 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: ${r.errorMessage}` }));
    case 'error':
      throw new StatesError(r.errorType || 'Error', JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage, trace: r.trace ?? [] }));
  }
}

export function lambdaInvokeIntegration(fn: InvokeLambda, env: { region: string; account: string }, token: boolean): Integration {
  return {
    resourceType: 'lambda',
    resource: token ? 'invoke.waitForTaskToken' : 'invoke',
    pattern: token ? 'token' : 'request',
    async call(c) {
      const p = (c.params ?? {}) as Record<string, unknown>;
      const name = p.FunctionName;
      if (typeof name !== 'string' || !name) throw new StatesError('States.Runtime', "The field 'FunctionName' is required but was missing");
      const qualified = typeof p.Qualifier === 'string' && p.Qualifier !== '$LATEST' ? `${name}:${p.Qualifier}` : name;
      const type = p.InvocationType === 'Event' ? 'Event' : 'RequestResponse';
      const r = await invoke(fn, qualified, p.Payload === undefined ? {} : p.Payload, c, env, type);
      const body = type === 'Event' ? '' : JSON.stringify(r.payload ?? null);
      const headers: Record<string, string> = {
        'Content-Length': String(Buffer.byteLength(body)),
        'Content-Type': 'application/json',
        Date: new Date().toUTCString(),
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': r.requestId,
        'X-Amzn-Trace-Id': c.traceHeader,
        Connection: 'keep-alive',
      };
      const status = type === 'Event' ? 202 : 200;
      return {
        ExecutedVersion: '$LATEST',
        Payload: type === 'Event' ? '' : (r.payload ?? null),
        SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: status },
        SdkResponseMetadata: { RequestId: r.requestId },
        StatusCode: status,
      };
    },
  };
}

export function legacyLambdaIntegration(fn: InvokeLambda, arn: string, env: { region: string; account: string }): Integration {
  return {
    resourceType: 'lambda',
    resource: arn,
    pattern: 'request',
    legacyLambda: true,
    async call(c) {
      const r = await invoke(fn, arn, c.params, c, env);
      return r.payload ?? null;
    },
  };
}
