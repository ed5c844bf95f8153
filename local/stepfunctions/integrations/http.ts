/**
 * Calls to the AWS APIs behind the edge endpoint, in each service's real protocol: AWS JSON 1.0/1.1
 * (X-Amz-Target) and the query protocol (form body, XML answer). Requests carry an unsigned SigV4-shaped
 * Authorization header (the local services only read its access key and region).
 */
import http from 'node:http';
import crypto from 'node:crypto';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  requestId: string;
}

function authorization(service: string, region: string): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `AWS4-HMAC-SHA256 Credential=local/${day}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

export function request(baseUrl: string, opts: { path?: string; headers: Record<string, string>; body: string; signal?: AbortSignal }): Promise<HttpAnswer> {
  const url = new URL(opts.path ?? '/', baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: 'POST',
        agent,
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        signal: opts.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const rid = res.headers['x-amzn-requestid'] ?? res.headers['x-amz-request-id'];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), requestId: typeof rid === 'string' ? rid : crypto.randomUUID() });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function jsonCall(baseUrl: string, a: { target: string; version: '1.0' | '1.1'; service: string; region: string; body: unknown; signal?: AbortSignal }): Promise<HttpAnswer> {
  return request(baseUrl, {
    headers: {
      'content-type': `application/x-amz-json-${a.version}`,
      'x-amz-target': a.target,
      'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, ''),
      authorization: authorization(a.service, a.region),
    },
    body: JSON.stringify(a.body ?? {}),
    signal: a.signal,
  });
}

export function queryCall(baseUrl: string, a: { service: string; region: string; params: Record<string, string>; signal?: AbortSignal }): Promise<HttpAnswer> {
  return request(baseUrl, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-amz-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, ''),
      authorization: authorization(a.service, a.region),
    },
    body: new URLSearchParams(a.params).toString(),
    signal: a.signal,
  });
}

/** The error code and message of a JSON protocol error answer (`__type` may carry a namespace). */
export function jsonError(a: HttpAnswer): { code: string; message: string } {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(a.text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  const raw = String(a.headers['x-amzn-errortype'] ?? body.__type ?? body.code ?? 'InternalFailure');
  const code = raw.split(':')[0].split('#').pop() ?? raw;
  const message = String(body.message ?? body.Message ?? a.text ?? '');
  return { code, message };
}

/** The error code and message of a query protocol XML error answer. */
export function xmlError(a: HttpAnswer): { code: string; message: string } {
  return { code: xmlText(a.text, 'Code') ?? 'InternalFailure', message: xmlText(a.text, 'Message') ?? a.text };
}

export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&') : undefined;
}

/** The SdkHttpMetadata / SdkResponseMetadata that optimized integrations add to a service's answer. */
export function sdkMetadata(a: { status: number; headers: Record<string, string>; requestId: string }): Record<string, unknown> {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(a.headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: a.headers,
      HttpStatusCode: a.status,
    },
    SdkResponseMetadata: { RequestId: a.requestId },
  };
}

export function answerHeaders(a: HttpAnswer): Record<string, string> {
  const out: Record<string, string> = {};
  const keep = ['content-type', 'content-length', 'date', 'x-amzn-requestid', 'connection'];
  for (const k of keep) {
    const v = a.headers[k];
    if (typeof v === 'string') out[k === 'x-amzn-requestid' ? 'x-amzn-RequestId' : k.replace(/(^|-)([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase())] = v;
  }
  if (!out['x-amzn-RequestId']) out['x-amzn-RequestId'] = a.requestId;
  return out;
}
