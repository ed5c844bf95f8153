// The AWS Lambda REST API subset served on the edge endpoint (restJson1, API version 2015-03-31):
// Invoke, GetFunction, GetFunctionConfiguration and ListFunctions, backed by a LambdaRuntime.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaServiceError } from '../errors';
import { requestId as newRequestId } from '../ids';
import type { LambdaRuntime } from '../runtime';
import { getFunction, getFunctionConfiguration } from './get-function';
import { drain, sendError } from './http';
import { invoke } from './invoke';
import { listFunctions } from './list-functions';

const PREFIX = '/2015-03-31/functions';

/** A request handler for the edge endpoint; resolves true when the request was a Lambda API call it answered. */
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
        getFunction(runtime, fnName, res, reqId);
        return true;
      }
      if (parts.length === 2 && parts[1] === 'configuration' && method === 'GET') {
        await drain(req);
        getFunctionConfiguration(runtime, fnName, res, reqId);
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
