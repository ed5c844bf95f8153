// Lambda proxy integration, payload format 1.0 (REST APIs): the event API Gateway sends to the function and the
// mapping of the function's { statusCode, headers, multiValueHeaders, body, isBase64Encoded } back to HTTP.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

export const ACCOUNT_ID = '000000000000';

export interface EventInput {
  req: IncomingMessage;
  apiId: string;
  stage: string;
  resourcePath: string;
  resourceId: string;
  /** Request path without the stage, as received. */
  path: string;
  query: string;
  pathParams: Record<string, string> | null;
  body: Buffer | null;
  requestId: string;
  extendedRequestId: string;
  traceHeader: string;
  apiKey: { id: string; value: string } | null;
  now: number;
}

/** Query string => single-value (last wins) and multi-value maps; both null without a query string. */
export function parseQuery(qs: string): { single: Record<string, string>; multi: Record<string, string[]> } | null {
  if (!qs) return null;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  let any = false;
  for (const pair of qs.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = decode(eq < 0 ? pair : pair.slice(0, eq));
    const v = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (k === '__proto__') continue;
    any = true;
    single[k] = v;
    const arr = multi[k];
    if (arr) arr.push(v);
    else multi[k] = [v];
  }
  return any ? { single, multi } : null;
}

function decode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let cachedSecond = -1;
let cachedTime = '';

/** requestTime as API Gateway formats it: 09/Apr/2015:12:34:56 +0000 (cached per second). */
export function requestTime(now: number): string {
  const sec = Math.floor(now / 1000);
  if (sec !== cachedSecond) {
    const d = new Date(sec * 1000);
    const p = (n: number) => (n < 10 ? `0${n}` : String(n));
    cachedTime = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    cachedSecond = sec;
  }
  return cachedTime;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql|x-ndjson)\b|application\/[^;]*\+(json|xml)\b)/i;

/** Without binary media types configured, textual bodies go as UTF-8 strings and anything else base64-encoded. */
export function isTextual(contentType: string | undefined): boolean {
  return contentType === undefined || TEXT_TYPES.test(contentType);
}

function clientIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '127.0.0.1';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export function buildProxyEvent(i: EventInput): Record<string, unknown> {
  const { req } = i;
  const raw = req.rawHeaders;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  let xff: string | undefined;
  for (let n = 0; n < raw.length; n += 2) {
    const k = raw[n];
    const v = raw[n + 1];
    // API Gateway sets these four itself (X-Forwarded-For extended with the caller's address).
    const len = k.length;
    if (len >= 15 && len <= 17) {
      const lower = k.toLowerCase();
      if (lower === 'x-forwarded-for') {
        xff = v;
        continue;
      }
      if (lower === 'x-forwarded-port' || lower === 'x-forwarded-proto' || lower === 'x-amzn-trace-id') continue;
    }
    if (k === '__proto__') continue;
    headers[k] = v;
    const arr = multiValueHeaders[k];
    if (arr) arr.push(v);
    else multiValueHeaders[k] = [v];
  }
  const ip = clientIp(req);
  const forwarded = xff ? `${xff}, ${ip}` : ip;
  const port = String(req.socket.localPort ?? 80);
  headers['X-Amzn-Trace-Id'] = i.traceHeader;
  multiValueHeaders['X-Amzn-Trace-Id'] = [i.traceHeader];
  headers['X-Forwarded-For'] = forwarded;
  multiValueHeaders['X-Forwarded-For'] = [forwarded];
  headers['X-Forwarded-Port'] = port;
  multiValueHeaders['X-Forwarded-Port'] = [port];
  headers['X-Forwarded-Proto'] = 'http';
  multiValueHeaders['X-Forwarded-Proto'] = ['http'];

  const q = parseQuery(i.query);
  const host = req.headers.host ?? `${i.apiId}.execute-api.localhost`;
  const dot = host.indexOf('.');
  const colon = host.indexOf(':');
  const domainPrefix = dot > 0 ? host.slice(0, dot) : colon > 0 ? host.slice(0, colon) : host;
  const contentType = req.headers['content-type'];
  let body: string | null = null;
  let isBase64Encoded = false;
  if (i.body && i.body.length) {
    if (isTextual(contentType)) body = i.body.toString('utf8');
    else {
      body = i.body.toString('base64');
      isBase64Encoded = true;
    }
  }
  const method = req.method ?? 'GET';
  return {
    resource: i.resourcePath,
    path: i.path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: q ? q.single : null,
    multiValueQueryStringParameters: q ? q.multi : null,
    pathParameters: i.pathParams,
    stageVariables: null,
    requestContext: {
      resourceId: i.resourceId,
      resourcePath: i.resourcePath,
      httpMethod: method,
      extendedRequestId: i.extendedRequestId,
      requestTime: requestTime(i.now),
      path: `/${i.stage}${i.path}`,
      accountId: ACCOUNT_ID,
      protocol: `HTTP/${req.httpVersion}`,
      stage: i.stage,
      domainPrefix,
      requestTimeEpoch: i.now,
      requestId: i.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        apiKey: i.apiKey ? i.apiKey.value : null,
        principalOrgId: null,
        cognitoAuthenticationType: null,
        userArn: null,
        apiKeyId: i.apiKey ? i.apiKey.id : null,
        userAgent: req.headers['user-agent'] ?? null,
        accountId: null,
        caller: null,
        sourceIp: ip,
        accessKey: null,
        cognitoAuthenticationProvider: null,
        user: null,
      },
      domainName: host,
      deploymentId: 'local',
      apiId: i.apiId,
    },
    body,
    isBase64Encoded,
  };
}

export interface HttpReply {
  statusCode: number;
  headers: OutgoingHttpHeaders;
  body: Buffer | string;
}

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
/** Response headers API Gateway will not pass through as is; it renames them x-amzn-Remapped-<name>. */
const REMAPPED = new Set(['connection', 'content-length', 'date', 'server', 'transfer-encoding', 'www-authenticate', 'upgrade', 'via']);

function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Maps a proxy response to HTTP. Returns null for a malformed one (API Gateway then answers 502): not an object,
 * unexpected keys, statusCode not an HTTP status, body not a string, header values not scalars.
 */
export function mapProxyResponse(payload: unknown): HttpReply | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const p = payload as Record<string, unknown>;
  for (const k in p) if (!ALLOWED_KEYS.has(k)) return null;
  let statusCode: number;
  if (typeof p.statusCode === 'number') statusCode = p.statusCode;
  else if (typeof p.statusCode === 'string' && /^\d{3}$/.test(p.statusCode)) statusCode = Number(p.statusCode);
  else return null;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return null;
  if (p.body !== undefined && p.body !== null && typeof p.body !== 'string') return null;
  if (p.isBase64Encoded !== undefined && p.isBase64Encoded !== null && typeof p.isBase64Encoded !== 'boolean') return null;

  const out: OutgoingHttpHeaders = {};
  let hasContentType = false;
  const mv = p.multiValueHeaders;
  if (mv !== undefined && mv !== null) {
    if (typeof mv !== 'object' || Array.isArray(mv)) return null;
    for (const [name, values] of Object.entries(mv as Record<string, unknown>)) {
      if (!Array.isArray(values)) return null;
      const list: string[] = [];
      for (const v of values) {
        const s = headerValue(v);
        if (s === undefined) return null;
        list.push(s);
      }
      const outName = outHeaderName(name);
      if (outName === 'content-type') hasContentType = true;
      out[outName] = list;
    }
  }
  const h = p.headers;
  if (h !== undefined && h !== null) {
    if (typeof h !== 'object' || Array.isArray(h)) return null;
    for (const [name, value] of Object.entries(h as Record<string, unknown>)) {
      const s = headerValue(value);
      if (s === undefined) return null;
      const outName = outHeaderName(name);
      if (outName === 'content-type') hasContentType = true;
      const prev = out[outName];
      if (Array.isArray(prev)) {
        if (!prev.includes(s)) prev.push(s);
      } else out[outName] = s;
    }
  }
  if (!hasContentType) out['content-type'] = 'application/json';
  const text = typeof p.body === 'string' ? p.body : '';
  const body = p.isBase64Encoded === true ? Buffer.from(text, 'base64') : text;
  return { statusCode, headers: out, body };
}

function outHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return REMAPPED.has(lower) ? `x-amzn-Remapped-${name}` : lower;
}
