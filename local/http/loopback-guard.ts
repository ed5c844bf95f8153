/**
 * The one gate in front of every local HTTP listener (edge, API Gateway, OpenSearch, payment
 * provider, the stand-alone servers of the emulators). The local cloud listens on 127.0.0.1
 * only, but a web page in the user's browser can still reach it:
 *
 * - **DNS rebinding:** a page on `evil.example` re-resolves its own name to 127.0.0.1 and then
 *   talks to a local port as if same-origin. Its requests carry `Host: evil.example[:port]`.
 *   So a request whose Host is not a loopback name (127.0.0.1, localhost, [::1], any port,
 *   case-insensitive) is refused. A request without Host is refused too.
 * - **Cross-origin writes:** a page may POST to http://127.0.0.1:port without reading the
 *   answer (forms, `no-cors` fetch). Browsers send `Origin` on such requests, so any method but
 *   GET and HEAD whose Origin is present and is not a loopback origin is refused. Clients that
 *   are not browsers (AWS SDKs, curl, ab, kcat) send no Origin and are not affected.
 * - **Cross-site reads that write:** the query protocol (SQS, SNS) also takes `GET /?Action=...`,
 *   which an `<img>` or a link on any site can send, without an Origin header. Browsers mark such
 *   requests with `Sec-Fetch-Site: cross-site`, so a request of any method marked so is refused
 *   unless its Origin is allowed (as a console's CORS fetch has). A request the user typed in the
 *   address bar is marked `none` and passes. Browsers without Fetch Metadata (before Chrome 76,
 *   Firefox 90, Safari 16.4) are not covered for GETs.
 *
 * The allowance for a local console: a page served from a loopback origin (any port, so the
 * console may live on its own listener) is not cross-origin in this sense and may write. A console
 * served under another name can be allowed by listing its exact origin in `allowedOrigins` or in
 * `LOCAL_CLOUD_ALLOWED_ORIGINS` (comma-separated, e.g. `http://console.test:3000`).
 *
 * A refusal is answered at once, without reading the body, with 403 and a JSON body
 * `{"message": ...}` (shaped like API Gateway's own `{"message"}` errors), and the connection
 * is closed.
 */
import type http from 'node:http';

export interface LoopbackGuardOptions {
  /** Name of the listener, for the log line of a refusal. */
  name?: string;
  /** Exact origins (scheme://host[:port]) besides loopback ones that may write. */
  allowedOrigins?: readonly string[];
  log?: (m: string) => void;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Whether a Host header value names the loopback interface: 127.0.0.1, localhost or [::1], with any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase();
  const m = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(h);
  return m !== null && LOOPBACK_NAMES.has(m[1]) && (m[2] === undefined || Number(m[2]) <= 65535);
}

/** Whether an Origin header value is an http(s) origin on a loopback name. "null" is not. */
export function isLoopbackOrigin(origin: string): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.host);
}

function allowedFromEnv(): string[] {
  return (process.env.LOCAL_CLOUD_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/$/, '').toLowerCase())
    .filter(Boolean);
}

/** Why this request must be refused, or null when it may pass. */
export function refusalReason(req: http.IncomingMessage, opts: LoopbackGuardOptions = {}): string | null {
  const host = req.headers.host;
  if (!isLoopbackHost(host)) return host === undefined ? 'the request has no Host header' : `Host ${JSON.stringify(host)} is not a loopback name`;
  const origin = req.headers.origin;
  const method = (req.method ?? 'GET').toUpperCase();
  const allowed = (o: string) => isLoopbackOrigin(o) || opts.allowedOrigins?.some((a) => a.toLowerCase() === o.toLowerCase()) || allowedFromEnv().includes(o.toLowerCase());
  if (origin !== undefined && !SAFE_METHODS.has(method) && !allowed(origin)) {
    return `cross-origin ${method} from ${JSON.stringify(origin)} is not allowed`;
  }
  if (req.headers['sec-fetch-site'] === 'cross-site' && (origin === undefined || !allowed(origin))) {
    return `cross-site ${method} ${origin === undefined ? 'without an Origin' : `from ${JSON.stringify(origin)}`} is not allowed`;
  }
  return null;
}

/** Connections this guard answered with its 403: closing, with the unread body possibly still arriving. */
const refusedSockets = new WeakSet<object>();

/** Whether the guard refused a request on this connection (a server's `clientError` handler must then add nothing). */
export function wasRefused(socket: object): boolean {
  return refusedSockets.has(socket);
}

/** Answers a refused request: 403, `{"message": ...}`, connection closed, body never read. */
export function refuse(res: http.ServerResponse, reason: string): void {
  if (res.socket) refusedSockets.add(res.socket);
  const body = JSON.stringify({ message: `Forbidden: ${reason} (the local cloud answers loopback clients only)` });
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
}

/**
 * Wraps a request listener so that requests from outside (see above) are refused before it
 * sees them: `http.createServer(guardLoopback(handler, { name: 'edge' }))`.
 */
export function guardLoopback<L extends (req: http.IncomingMessage, res: http.ServerResponse) => unknown>(listener: L, opts: LoopbackGuardOptions = {}): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const reason = refusalReason(req, opts);
    if (reason === null) {
      void listener(req, res);
      return;
    }
    opts.log?.(`${opts.name ?? 'http'}: refused ${req.method} ${req.url}: ${reason}`);
    refuse(res, reason);
  };
}
