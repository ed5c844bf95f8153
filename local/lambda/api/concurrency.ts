// Reserved concurrency on the Lambda REST API (restJson1):
//   PutFunctionConcurrency     PUT    /2017-10-31/functions/{FunctionName}/concurrency  {"ReservedConcurrentExecutions": n} -> 200 same
//   DeleteFunctionConcurrency  DELETE /2017-10-31/functions/{FunctionName}/concurrency  -> 204
//   GetFunctionConcurrency     GET    /2019-09-30/functions/{FunctionName}/concurrency  -> 200 {"ReservedConcurrentExecutions"?: n}
// A limit of 0 throttles every invocation of the function, as AWS does ("stop a service" without
// undeploying it); running invocations finish.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidParameterValueError, InvalidRequestContentError, LambdaServiceError } from '../errors';
import { requestId as newRequestId } from '../ids';
import type { LambdaRuntime } from '../runtime';
import { drain, mustGet, readBody, sendError, sendJson, splitQualifier } from './http';

const PATH = /^\/(2017-10-31|2019-09-30)\/functions\/([^/]+)\/concurrency\/?$/;
/** AWS caps reserved concurrency by the account's limit (1,000 by default). */
const MAX_RESERVED = 1000;

export function createConcurrencyApiHandler(runtime: LambdaRuntime): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = req.url ?? '/';
    const m = PATH.exec(url.split('?')[0]!);
    if (!m) return false;
    const [, version, encoded] = m;
    const method = req.method ?? 'GET';
    const reqId = newRequestId();
    const fnName = splitQualifier(decodeURIComponent(encoded!)).name;
    try {
      if (version === '2019-09-30' && method === 'GET') {
        await drain(req);
        const spec = mustGet(runtime, fnName);
        sendJson(res, 200, spec.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: spec.reservedConcurrency }, reqId);
        return true;
      }
      if (version === '2017-10-31' && method === 'DELETE') {
        await drain(req);
        runtime.setReservedConcurrency(mustGet(runtime, fnName).name, undefined);
        res.writeHead(204, { 'x-amzn-RequestId': reqId });
        res.end();
        return true;
      }
      if (version === '2017-10-31' && method === 'PUT') {
        const spec = mustGet(runtime, fnName);
        const n = parseReserved(await readBody(req, 64 * 1024));
        runtime.setReservedConcurrency(spec.name, n);
        sendJson(res, 200, { ReservedConcurrentExecutions: n }, reqId);
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

function parseReserved(body: Buffer): number {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new InvalidRequestContentError('Could not parse request body into json');
  }
  const n = (doc as { ReservedConcurrentExecutions?: unknown } | null)?.ReservedConcurrentExecutions;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_RESERVED) {
    throw new InvalidParameterValueError(`ReservedConcurrentExecutions must be an integer from 0 to ${MAX_RESERVED}`);
  }
  return n;
}
