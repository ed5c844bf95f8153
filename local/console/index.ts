/**
 * The local console: a web app on the edge endpoint, at `<edge>/_console/`, served from the same
 * origin as the AWS APIs it reads, so that the browser calls them without CORS or signing (the
 * edge takes unsigned requests, as LocalStack does). What it serves:
 *
 *   GET /_console/            the page (console/index.html) with the app and its config inlined: one
 *                             request before the first API call (the app is ~13 KB gzipped)
 *   GET /_console/app.js      the app alone, built by esbuild on the first request and kept in memory
 *   GET /_console/config.json the region, the account and the API key the page's API calls use
 *   *   /_console/api/...     the platform's REST API (the local API Gateway), proxied to keep one
 *                             origin: API Gateway answers no CORS preflight for these routes
 *   GET /_local/kafka/...     the broker's topics, groups and a topic's tail (kafka.ts)
 *
 * Everything else the console shows it reads from the AWS APIs on the edge (Step Functions,
 * X-Ray, CloudWatch, SQS, Lambda) and LocalStack's SES/SNS inspection endpoints.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EdgeRoute } from '../edge';
import { buildConsole, type ConsoleBundle } from './build';
import { createKafkaInspection } from './kafka';

export const CONSOLE_PATH = '/_console/';

export interface ConsoleOptions {
  projectDir: string;
  region: string;
  accountId: string;
  /** the local API Gateway's address, once it listens */
  apiUrl: () => string | undefined;
  /** the key the console's API calls (and the API page) start with */
  apiKey: () => string | undefined;
  /** the Kafka broker's bootstrap address */
  kafkaBootstrap: () => string | undefined;
  log?: (m: string) => void;
}

export interface LocalConsole {
  route: EdgeRoute;
  /** the app's bundle (built once) */
  bundle(): Promise<ConsoleBundle>;
  close(): Promise<void>;
}

export function createConsole(opts: ConsoleOptions): LocalConsole {
  const kafka = createKafkaInspection(opts.kafkaBootstrap);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let built: Promise<ConsoleBundle> | undefined;
  const bundle = () =>
    (built ??= buildConsole(opts.projectDir).catch((err: unknown) => {
      built = undefined;
      throw err;
    }));
  let template: string | undefined;
  const config = () => ({ region: opts.region, account_id: opts.accountId, api_base: '/_console', api_key: opts.apiKey() ?? '', openapi: '/_local/openapi.json' });
  const page = async () => {
    template ??= readFileSync(path.join(opts.projectDir, 'console', 'index.html'), 'utf8');
    const js = (await bundle()).js.toString('utf8').replace(/<\/(script)/gi, '<\\/$1');
    const inline = `<script>window.__CONSOLE_CONFIG__=${JSON.stringify(config()).replace(/</g, '\\u003c')}</script>\n<script type="module">${js}</script>`;
    return Buffer.from(template.replace('<script type="module" src="/_console/app.js"></script>', () => inline));
  };

  const send = (res: http.ServerResponse, status: number, type: string, body: Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': String(body.length), 'cache-control': 'no-cache', ...headers });
    res.end(body);
  };

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, rest: string): void {
    const base = opts.apiUrl();
    if (!base) return send(res, 503, 'application/json', Buffer.from('{"message":"the API is not deployed yet"}'));
    const target = new URL(rest, base);
    const headers = { ...req.headers, host: target.host };
    delete headers.origin;
    delete headers.referer;
    delete headers.cookie;
    const up = http.request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', (err) => {
      if (!res.headersSent) send(res, 502, 'application/json', Buffer.from(JSON.stringify({ message: `API unavailable: ${err.message}` })));
      else res.destroy(err);
    });
    req.pipe(up);
  }

  const route: EdgeRoute = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const p = url.pathname;
    if (p.startsWith('/_local/kafka/')) return kafka.route(req, res, url);
    if (p === '/_console' || p === '/console' || p === '/console/') {
      res.writeHead(302, { location: CONSOLE_PATH }).end();
      return true;
    }
    if (!p.startsWith(CONSOLE_PATH)) return false;
    if (p.startsWith('/_console/api/')) {
      proxy(req, res, p.slice('/_console'.length) + url.search);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'application/json', Buffer.from('{"error":"GET only"}'), { allow: 'GET' });
      return true;
    }
    if (p === CONSOLE_PATH || p === '/_console/index.html') {
      try {
        const html = await page();
        const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        send(res, 200, 'text/html; charset=utf-8', gz ? gzipSync(html, { level: 6 }) : html, gz ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {});
      } catch (err) {
        opts.log?.(`console: building the app failed: ${(err as Error).message}`);
        send(res, 500, 'text/plain', Buffer.from(`building the console failed: ${(err as Error).message}`));
      }
      return true;
    }
    if (p === '/_console/app.js') {
      try {
        const b = await bundle();
        const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        send(res, 200, 'text/javascript; charset=utf-8', gz ? b.gzipped : b.js, gz ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {});
      } catch (err) {
        opts.log?.(`console: building the app failed: ${(err as Error).message}`);
        send(res, 500, 'text/plain', Buffer.from(`building the console failed: ${(err as Error).message}`));
      }
      return true;
    }
    if (p === '/_console/config.json') {
      send(res, 200, 'application/json', Buffer.from(JSON.stringify(config())), { 'cache-control': 'no-store' });
      return true;
    }
    send(res, 404, 'text/plain', Buffer.from('not found'));
    return true;
  };

  return {
    route,
    bundle,
    async close() {
      agent.destroy();
      await kafka.close();
    },
  };
}
