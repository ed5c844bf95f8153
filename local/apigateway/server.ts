// The local API Gateway (REST API) HTTP server: resolves stage and route, applies API keys, usage plans, throttles
// and request validation, runs the integration (Lambda proxy or MOCK) and answers as API Gateway does.
import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { continueTraceHeader, randomBase64, requestId as newRequestId } from '../lambda/ids';
import { declaredTooLarge, hasBody, header, queryView, readBody, sendError } from './http-io';
import { buildProxyEvent, mapProxyResponse } from './proxy';
import { QuotaStore } from './quota-store';
import { GatewayError, IntegrationTimeout, InternalServerError, LambdaRequestTooLong, MissingAuthenticationToken, RequestTooLarge } from './responses';
import { CompiledMethod, CompiledResource, Router } from './router';
import { LambdaServiceError, type InvokeResult } from '../lambda';
import type { ApiGatewayHandle, ApiGatewayOptions, InvokeFn, RestApiSpec } from './types';
import { StageUsage, UsagePlans } from './usage-plans';
import { requestTrace, type RequestTrace } from './tracing';
import { compileValidator, Validator } from './validation';
import { guardLoopback, wasRefused } from '../http/loopback-guard';

const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

interface CompiledApi {
  spec: RestApiSpec;
  router: Router;
  usage: StageUsage;
}

interface Target {
  api: CompiledApi;
  /** Path without the stage. */
  path: string;
}

interface Resolved {
  api: CompiledApi;
  path: string;
  resource: CompiledResource;
  method: CompiledMethod;
  pathParams: Record<string, string> | null;
}

const notFound = new MissingAuthenticationToken();

export class Gateway {
  private readonly apis: CompiledApi[] = [];
  private readonly byStage = new Map<string, CompiledApi[]>();
  private readonly byId = new Map<string, CompiledApi>();
  private readonly validators = new Map<CompiledMethod, Validator | null>();
  private readonly plans: UsagePlans;
  readonly quotas: QuotaStore;
  private readonly invoke: InvokeFn;
  private readonly now: () => number;
  private readonly log: (m: string) => void;
  private readonly tracing: ApiGatewayOptions['tracing'];
  /** a request that brought no sampling decision is traced by the X-Ray sampling rule in force */
  private readonly sampleNewTrace = (): boolean => this.tracing?.sample?.() ?? true;
  private readonly onRequest: ApiGatewayOptions['onRequest'];

  constructor(opts: ApiGatewayOptions) {
    this.invoke = opts.invoke;
    this.tracing = opts.tracing;
    this.onRequest = opts.onRequest;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
    this.quotas = new QuotaStore(opts.statePath, this.log);
    this.plans = new UsagePlans(opts.apis, this.quotas, this.now());
    for (const spec of opts.apis) {
      const router = new Router(spec.resources);
      const api: CompiledApi = { spec, router, usage: this.plans.stage(spec.id, spec.stageName) };
      for (const r of router.resources) {
        for (const m of r.methods.values()) this.validators.set(m, compileValidator(m.spec, this.log));
      }
      this.apis.push(api);
      this.byId.set(spec.id, api);
      const list = this.byStage.get(spec.stageName);
      if (list) list.push(api);
      else this.byStage.set(spec.stageName, [api]);
    }
  }

  /** The request handler. Never rejects. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((err: unknown) => {
      this.log(`apigateway: unexpected failure on ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) sendError(res, new InternalServerError(500), newRequestId(), apigwIdOf(), undefined);
      else res.destroy();
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const apigwId = apigwIdOf();
    const traceHeader = continueTraceHeader(req.headers['x-amzn-trace-id'] as string | undefined, this.sampleNewTrace);
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi >= 0 ? url.slice(0, qi) : url;
    const query = qi >= 0 ? url.slice(qi + 1) : '';
    const method = req.method ?? 'GET';
    let trace: RequestTrace | undefined;
    const began = this.onRequest ? performance.now() : 0;
    let api: RestApiSpec | undefined;
    let integrationMs: number | undefined;
    try {
      // In AWS's order: the payload limit at the front door, the route, the API key, and only
      // then the body. None of the refusals before the body reads it (sendError closes the
      // connection instead), so a client without a key cannot make the gateway take 10 MB.
      if (declaredTooLarge(req)) throw new RequestTooLarge();
      const resolved = this.resolve(method, rawPath);
      api = resolved?.api.spec;
      if (!resolved) throw notFound;
      if (this.tracing) trace = requestTrace(req, resolved.api.spec, traceHeader, this.tracing);
      const now = this.now();
      const key = this.plans.admit(resolved.api.usage, resolved.method, header(req, 'x-api-key'), now);
      const body = hasBody(req) ? await readBody(req) : null;
      const validator = this.validators.get(resolved.method);
      if (validator) {
        validator({
          query: query ? queryView(query) : null,
          headers: req.headers,
          pathParams: resolved.pathParams,
          contentType: req.headers['content-type'],
          body,
        });
      }
      const integration = resolved.method.spec.integration;
      if (integration.type === 'MOCK') {
        res.writeHead(integration.statusCode, {
          'content-type': 'application/json',
          'x-amzn-RequestId': requestId,
          'x-amz-apigw-id': apigwId,
          'X-Amzn-Trace-Id': traceHeader,
        });
        res.end(integration.body);
        return;
      }
      const event = buildProxyEvent({
        req,
        apiId: resolved.api.spec.id,
        stage: resolved.api.spec.stageName,
        resourcePath: resolved.resource.path,
        resourceId: resolved.resource.id,
        path: resolved.path,
        query,
        pathParams: resolved.pathParams,
        body,
        requestId,
        extendedRequestId: apigwId,
        traceHeader,
        apiKey: key ? { id: key.id, value: key.value } : null,
        now,
      });
      const called = this.onRequest ? performance.now() : 0;
      const result = await this.callLambda(
        integration.functionName,
        event,
        trace ? trace.lambdaCall(integration.functionName) : traceHeader,
        integration.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
      );
      trace?.lambdaDone(result.status);
      if (this.onRequest) integrationMs = performance.now() - called;
      if (result.status === 'throttled') {
        this.log(`apigateway: ${method} ${rawPath}: Lambda throttled the invocation of ${integration.functionName}`);
        throw new InternalServerError(500);
      }
      if (result.status !== 'ok') {
        this.log(`apigateway: ${method} ${rawPath}: function ${integration.functionName} ${result.status}: ${result.errorType}: ${result.errorMessage}`);
        throw new InternalServerError(502);
      }
      const reply = mapProxyResponse(result.payload);
      if (!reply) {
        this.log(`apigateway: ${method} ${rawPath}: Execution failed due to configuration error: Malformed Lambda proxy response`);
        throw new InternalServerError(502);
      }
      const h = reply.headers;
      h['x-amzn-RequestId'] = requestId;
      h['x-amz-apigw-id'] = apigwId;
      h['X-Amzn-Trace-Id'] = traceHeader;
      if (reply.statusCode === 204 || reply.statusCode === 304 || method === 'HEAD') {
        res.writeHead(reply.statusCode, h);
        res.end();
        return;
      }
      h['content-length'] = typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length;
      res.writeHead(reply.statusCode, h);
      res.end(reply.body);
    } catch (err) {
      if (!(err instanceof GatewayError)) {
        trace?.end(500, requestId);
        if (api && this.onRequest) this.onRequest({ apiName: api.name, stage: api.stageName, status: 500, latencyMs: performance.now() - began, integrationLatencyMs: integrationMs });
        throw err;
      }
      sendError(res, err, requestId, apigwId, traceHeader, req);
    }
    trace?.end(res.statusCode, requestId);
    // requests that match no API are not counted: API Gateway has no API to count them against
    if (api && this.onRequest) this.onRequest({ apiName: api.name, stage: api.stageName, status: res.statusCode, latencyMs: performance.now() - began, integrationLatencyMs: integrationMs });
  }

  /** Invokes the function; rejects with IntegrationTimeout (504) or, when Lambda refuses the call, a 500. */
  private callLambda(functionName: string, event: unknown, traceHeader: string, timeoutMs: number): Promise<InvokeResult> {
    return new Promise<InvokeResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new IntegrationTimeout()), timeoutMs);
      this.invoke(functionName, event, { traceHeader }).then(
        (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        (err: unknown) => {
          clearTimeout(timer);
          // The event is over Lambda's 6 MB invoke limit: API Gateway answers 413 "Request Too Long".
          if (err instanceof LambdaServiceError && err.statusCode === 413) {
            reject(new LambdaRequestTooLong());
            return;
          }
          // Lambda refused the invocation (unknown function, closed runtime, ...): API Gateway answers 500.
          this.log(`apigateway: invoking ${functionName} failed: ${err instanceof Error ? err.message : String(err)}`);
          reject(new InternalServerError(500));
        },
      );
    });
  }

  /** Finds API, stage-less path and route: /{stage}/..., /restapis/{id}/{stage}/_user_request_/..., or stage-less for the first API. */
  private resolve(method: string, rawPath: string): Resolved | null {
    const targets: Target[] = [];
    if (rawPath.startsWith('/restapis/')) {
      const m = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(rawPath);
      if (m) {
        const api = this.byId.get(m[1]);
        if (api && api.spec.stageName === m[2]) targets.push({ api, path: m[3] || '/' });
      }
    } else {
      const end = rawPath.indexOf('/', 1);
      const first = end < 0 ? rawPath.slice(1) : rawPath.slice(1, end);
      const staged = this.byStage.get(first);
      if (staged) {
        const rest = end < 0 ? '/' : rawPath.slice(end);
        for (const api of staged) targets.push({ api, path: rest });
      }
      if (this.apis.length) targets.push({ api: this.apis[0], path: rawPath || '/' });
    }
    for (const t of targets) {
      const m = t.api.router.match(method, t.path);
      if (m.kind === 'ok') return { api: t.api, path: t.path, resource: m.resource, method: m.method, pathParams: m.pathParams };
    }
    return null;
  }
}

/** x-amz-apigw-id / extendedRequestId: 16 characters ending in "=", like API Gateway's. */
function apigwIdOf(): string {
  return randomBase64(11);
}

export async function createApiGateway(opts: ApiGatewayOptions): Promise<ApiGatewayHandle> {
  const gw = new Gateway(opts);
  const server = http.createServer({ keepAliveTimeout: 60_000 }, guardLoopback(gw.handle, { name: 'apigateway', log: opts.log }));
  // A request line or headers past Node's 16 KB: answer 431 (400 for other parse errors) and end
  // the connection gracefully. Node's default destroys the socket at once, and a client still
  // sending its long URL then sees a reset instead of the answer.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
    // Add nothing after the loopback guard's 403 (its unread body is what failed to parse), nor
    // while an earlier request's answer is still pending on this keep-alive connection (an
    // answer now would come out of order). Node's own default, `bytesWritten === 0`, would also
    // reset a keep-alive client whose second request is the long one.
    const pending = (socket as { _httpMessage?: unknown })._httpMessage;
    if (!socket.writable || wasRefused(socket) || pending) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.resume(); // drain what the client is still sending
    socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gw.quotas.close();
    },
  };
}
