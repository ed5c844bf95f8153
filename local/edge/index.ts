/**
 * The LocalStack-style edge endpoint: one HTTP port for every emulated AWS API, so that
 * `AWS_ENDPOINT_URL` points any SDK client at the local cloud. Requests are routed by their
 * X-Amz-Target header (JSON protocols: DynamoDB, DynamoDB Streams, ...) or their path (REST
 * protocols: Lambda). `GET /_local/health` lists the services; `GET /_local/requests` counts
 * the requests routed so far by X-Amz-Target (request-counter.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardLoopback } from '../http/loopback-guard';
import { RequestCounter } from './request-counter';

export { countsBetween, type RequestCounts } from './request-counter';

export type EdgeRoute = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

export interface EdgeService {
  name: string;
  /** X-Amz-Target prefixes this service answers (e.g. "DynamoDB_20120810.") */
  targets?: string[];
  /** handles REST-style requests by path; resolves true when it answered */
  route?: EdgeRoute;
  /** forwards X-Amz-Target requests to another local server */
  forwardTo?: string;
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, base: string, agent: http.Agent): void {
  const target = new URL(req.url ?? '/', base);
  const upstream = http.request(
    { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers, agent },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws#ServiceUnavailable', message: `local service unavailable: ${err.message}` }));
    } else res.destroy(err);
  });
  req.pipe(upstream);
}

export async function startEdge(opts: { host?: string; port: number; services: EdgeService[]; log?: (m: string) => void }): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counter = new RequestCounter();
  const server = http.createServer(guardLoopback((req, res) => {
    void (async () => {
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string') {
        counter.count(target);
        const svc = opts.services.find((s) => s.targets?.some((t) => target.startsWith(t)));
        if (svc?.forwardTo) return forward(req, res, svc.forwardTo, agent);
        if (svc?.route && (await svc.route(req, res))) return;
      }
      if (req.method === 'GET' && (req.url === '/_local/health' || req.url === '/_localstack/health')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ services: Object.fromEntries(opts.services.map((s) => [s.name, 'running'])) }));
        return;
      }
      if (req.method === 'GET' && req.url === '/_local/requests') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(counter.snapshot()));
        return;
      }
      for (const svc of opts.services) if (svc.route && (await svc.route(req, res))) return;
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' });
      res.end(
        JSON.stringify({
          __type: 'UnknownOperationException',
          message: `the local cloud does not emulate this API (${req.method} ${req.url}${typeof target === 'string' ? `, X-Amz-Target ${target}` : ''})`,
        }),
      );
    })().catch((err: Error) => {
      opts.log?.(`edge: ${err.stack ?? err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: 'local edge error' }));
    });
  }, { name: 'edge', log: opts.log }));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
