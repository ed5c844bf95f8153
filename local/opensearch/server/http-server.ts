// node:http front end: reads bodies (gzip-aware, 100 MB limit answered with 413 like OpenSearch's
// http.max_content_length), dispatches to the router, and renders OpenSearch JSON responses and errors.
// Any handler failure becomes an OpenSearch error response; nothing a client sends can crash the process.
import http from 'node:http';
import zlib from 'node:zlib';
import { ApiRequest, ApiResponse } from '../api/request';
import type { Cluster } from '../cluster';
import { OpenSearchError } from '../errors';
import type { Router } from './router';
import { guardLoopback } from '../../http/loopback-guard';

export const MAX_CONTENT_LENGTH = 100 * 1024 * 1024;

function send(res: http.ServerResponse, method: string, status: number, payload: string | null, contentType = 'application/json; charset=UTF-8'): void {
  if (res.headersSent || res.destroyed) return;
  const buf = payload === null ? Buffer.alloc(0) : Buffer.from(payload, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(buf.length) });
  res.end(method === 'HEAD' ? undefined : buf);
}

function render(res: http.ServerResponse, method: string, r: ApiResponse, pretty: boolean): void {
  if (r.text !== undefined) return send(res, method, r.status, r.text, 'text/plain; charset=UTF-8');
  if (r.body === undefined) return send(res, method, r.status, null);
  send(res, method, r.status, pretty ? JSON.stringify(r.body, null, 2) + '\n' : JSON.stringify(r.body));
}

function errorResponse(e: unknown, log: (m: string) => void): ApiResponse {
  if (e instanceof OpenSearchError) return { status: e.status, body: e.toBody() };
  const msg = e instanceof Error ? e.message : String(e);
  log(`internal error: ${e instanceof Error ? e.stack : msg}`);
  const ex = new OpenSearchError('exception', msg, 500);
  return { status: 500, body: ex.toBody() };
}

export function createHttpServer(cluster: Cluster, router: Router, log: (m: string) => void): http.Server {
  return http.createServer(guardLoopback((req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pretty = url.searchParams.has('pretty') && url.searchParams.get('pretty') !== 'false';
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_CONTENT_LENGTH) {
      // Answer without keeping the body: it is read and discarded so the client can finish sending.
      res.setHeader('connection', 'close');
      req.on('error', () => undefined);
      req.resume();
      req.on('end', () => send(res, method, 413, null));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > MAX_CONTENT_LENGTH) {
        tooLarge = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (tooLarge) return send(res, method, 413, null);
      let r: ApiResponse;
      try {
        let buf = Buffer.concat(chunks);
        const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
        if (enc.includes('gzip') || enc.includes('deflate')) {
          try {
            buf = enc.includes('gzip') ? zlib.gunzipSync(buf, { maxOutputLength: MAX_CONTENT_LENGTH }) : zlib.inflateSync(buf, { maxOutputLength: MAX_CONTENT_LENGTH });
          } catch {
            throw new OpenSearchError('illegal_argument_exception', 'failed to decompress request body', 400);
          }
        }
        const query: Record<string, string | undefined> = {};
        for (const [k, v] of url.searchParams) query[k] = v;
        const { handler, params } = router.resolve(method, url.pathname);
        r = handler(new ApiRequest(cluster, method, url.pathname, params, query, buf.toString('utf8')));
      } catch (e) {
        r = errorResponse(e, log);
      }
      try {
        render(res, method, r, pretty);
      } catch (e) {
        render(res, method, errorResponse(e, log), false);
      }
    });
  }, { name: 'opensearch', log }));
}
