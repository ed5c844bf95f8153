/**
 * The load tools' HTTP client: node:http on a keep-alive agent (fetch's per-request overhead and
 * its pooling, which hides a dropped connection behind a retry, would both blur the figures).
 * Never throws: a transport failure is an outcome (`refused`, `reset`, `timeout`, `error`).
 */
import http from 'node:http';

export type TransportError = 'refused' | 'reset' | 'timeout' | 'error';

export interface HttpOutcome {
  /** the HTTP status, or how the exchange failed without one */
  status: number | TransportError;
  ms: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export function createAgent(maxSockets = 256): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 1000 });
}

export function send(agent: http.Agent, r: HttpRequest): Promise<HttpOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: HttpOutcome['status'], headers: http.IncomingHttpHeaders = {}, body = '') => {
      if (settled) return;
      settled = true;
      resolve({ status, ms: performance.now() - started, headers, body });
    };
    let req: http.ClientRequest;
    try {
      const u = new URL(r.url);
      // a body always travels with its length: Node frames a GET's or DELETE's body neither by
      // length nor by chunks, and the server would read it as the next request on the connection
      const headers = r.body !== undefined && !hasHeader(r.headers, 'content-length') ? { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) } : r.headers;
      req = http.request({ agent, hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: r.method, headers });
    } catch {
      done('error');
      return;
    }
    req.setTimeout(r.timeoutMs ?? 30_000, () => {
      done('timeout');
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => done(classify(err)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err: NodeJS.ErrnoException) => done(classify(err)));
      res.on('aborted', () => done('reset'));
    });
    req.end(r.body);
  });
}

const hasHeader = (h: Record<string, string> | undefined, name: string) => !!h && Object.keys(h).some((k) => k.toLowerCase() === name);

function classify(err: NodeJS.ErrnoException): TransportError {
  if (err.code === 'ECONNREFUSED') return 'refused';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up') return 'reset';
  if (err.code === 'ETIMEDOUT') return 'timeout';
  return 'error';
}

/** Parses a JSON body; undefined when it is not JSON. */
export function json<T = unknown>(body: string): T | undefined {
  try {
    return body ? (JSON.parse(body) as T) : undefined;
  } catch {
    return undefined;
  }
}
