// Lambda GetFunction (GET /2015-03-31/functions/{name}) and GetFunctionConfiguration (…/{name}/configuration).
import type { ServerResponse } from 'node:http';
import type { LambdaRuntime } from '../runtime';
import { configuration, mustGet, sendJson } from './http';

export function getFunction(runtime: LambdaRuntime, fnName: string, res: ServerResponse, reqId: string): void {
  const spec = mustGet(runtime, fnName);
  const doc: Record<string, unknown> = { Configuration: configuration(spec), Code: { RepositoryType: 'S3', Location: `file://${spec.codeDir}` }, Tags: {} };
  if (spec.reservedConcurrency !== undefined) doc.Concurrency = { ReservedConcurrentExecutions: spec.reservedConcurrency };
  sendJson(res, 200, doc, reqId);
}

export function getFunctionConfiguration(runtime: LambdaRuntime, fnName: string, res: ServerResponse, reqId: string): void {
  sendJson(res, 200, configuration(mustGet(runtime, fnName)), reqId);
}
