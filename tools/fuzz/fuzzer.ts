/**
 * Sends the cases with a bounded number in flight and judges each answer:
 *
 * - a 5xx is a finding, except the documented one: a body over Lambda's 6 MB invoke limit (and
 *   under API Gateway's 10 MB) gets API Gateway's own 500 `{"message": "Internal server error"}`
 *   with x-amzn-ErrorType InternalServerErrorException, as AWS answers when Lambda refuses the
 *   invocation (RequestTooLargeException); 503 `service_unavailable` with Retry-After (an open
 *   circuit) is a documented answer of the platform too;
 * - a dropped connection (reset, refused, timeout) is a finding;
 * - an error body must be the platform's `{"error": {"code", "message", "details"?}}`, or API
 *   Gateway's own `{"message"}` (its gateway responses: 403 key, 429 throttle, 400 validation,
 *   413 size, 5xx); anything else, or anything that shows a stack trace or a file path, is a finding.
 * - the local cloud must answer its health routes during and after the run: no crash.
 *
 * A health route's 503 with its report of checks is its contract (a dependency is down), and a
 * 431 is Node's HTTP parser refusing a request line or headers over 16 KB (API Gateway refuses
 * them too, with its own page); both are counted, not findings. Every 5xx and dropped connection
 * is sent again once the run is over, one at a time: a finding that does not happen again was the
 * machine (a cold start past its init timeout on a loaded laptop), and is reported as such.
 */
import type http from 'node:http';
import { createAgent, send } from '../load/http';
import type { FuzzCase } from './cases';

export type Verdict = 'ok' | 'server-error' | 'documented-5xx' | 'dropped' | 'off-shape' | 'leak';

/** Verdicts that the confirm pass sends again. */
const TRANSIENT: ReadonlySet<Verdict> = new Set(['server-error', 'dropped']);

export interface Finding {
  verdict: Verdict;
  route: string;
  kind: string;
  method: string;
  path: string;
  status: number | string;
  body: string;
  request_body?: string;
  /** server errors and drops: whether sending it again (alone) failed the same way */
  reproduced?: boolean;
}

export interface FuzzResult {
  total: number;
  by_status: Record<string, number>;
  by_verdict: Record<Verdict, number>;
  /** 5xx and dropped connections that happened again when the case was sent alone after the run */
  confirmed: { 'server-error': number; dropped: number; resent: number };
  by_route: Record<string, { count: number; server_errors: number; dropped: number; off_shape: number }>;
  /** the first findings of each (route, verdict, status, kind family) */
  findings: Finding[];
  /** health probes that failed during or after the run */
  crashes: Array<{ at: number; detail: string }>;
  duration_s: number;
}

const LAMBDA_LIMIT = 6 * 1024 * 1024;
const GATEWAY_LIMIT = 10 * 1024 * 1024;
const LEAK = /\n\s+at |node_modules|\/work\/|\.ts:\d+|\.js:\d+|Traceback/;

export function judge(c: FuzzCase, status: number | string, headers: http.IncomingHttpHeaders, body: string): Verdict {
  if (typeof status !== 'number') return 'dropped';
  if (LEAK.test(body)) return 'leak';
  const size = c.body?.length ?? 0;
  let doc: unknown;
  try {
    doc = body ? JSON.parse(body) : undefined;
  } catch {
    doc = undefined;
  }
  const gatewayShape = isObject(doc) && Object.keys(doc).length === 1 && typeof doc.message === 'string';
  const appShape =
    isObject(doc) &&
    isObject(doc.error) &&
    typeof doc.error.code === 'string' &&
    typeof doc.error.message === 'string' &&
    (doc.error.details === undefined || Array.isArray(doc.error.details));
  if (status >= 500) {
    if (gatewayShape && status === 500 && size > LAMBDA_LIMIT && size <= GATEWAY_LIMIT) return 'documented-5xx';
    if (status === 503 && c.path.split('?')[0]!.endsWith('/health') && isObject(doc) && doc.status === 'unavailable') return 'documented-5xx';
    if (appShape && status === 503 && (doc as { error: { code: string } }).error.code === 'service_unavailable' && headers['retry-after']) return 'documented-5xx';
    return 'server-error';
  }
  if (status >= 400) {
    if (c.method === 'HEAD' || status === 431) return 'ok'; // no body by definition; Node's header limit
    // API Gateway's own answer past its 10 MB payload limit is plain text (local/apigateway/responses.ts)
    if (status === 413 && size > GATEWAY_LIMIT && body === `HTTP content length exceeded ${GATEWAY_LIMIT} bytes.`) return 'ok';
    return appShape || gatewayShape ? 'ok' : 'off-shape';
  }
  return 'ok';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function runFuzz(
  cases: Iterable<FuzzCase>,
  o: { apiUrl: string; concurrency?: number; timeoutMs?: number; onProgress?: (done: number) => void; maxFindingsPerGroup?: number },
): Promise<FuzzResult> {
  const agent = createAgent(64);
  const started = performance.now();
  const result: FuzzResult = {
    total: 0,
    by_status: {},
    by_verdict: { ok: 0, 'server-error': 0, 'documented-5xx': 0, dropped: 0, 'off-shape': 0, leak: 0 },
    confirmed: { 'server-error': 0, dropped: 0, resent: 0 },
    by_route: {},
    findings: [],
    crashes: [],
    duration_s: 0,
  };
  const groups = new Map<string, number>();
  const again: Array<{ c: FuzzCase; finding?: Finding }> = [];
  const health = async () => {
    const r = await send(agent, { method: 'GET', url: `${o.apiUrl}/api/catalog/health`, timeoutMs: 30_000 });
    if (r.status !== 200) result.crashes.push({ at: result.total, detail: `GET /api/catalog/health: ${r.status} ${r.body.slice(0, 200)}` });
  };
  await health();
  const it = cases[Symbol.iterator]();
  const worker = async () => {
    for (;;) {
      const next = it.next();
      if (next.done) return;
      const c = next.value;
      const r = await send(agent, { method: c.method, url: `${o.apiUrl}${c.path}`, headers: c.headers, body: c.body, timeoutMs: o.timeoutMs ?? 60_000 });
      const verdict = judge(c, r.status, r.headers, r.body);
      const routeKey = `${c.route.method} ${c.route.path}`;
      result.total++;
      result.by_status[String(r.status)] = (result.by_status[String(r.status)] ?? 0) + 1;
      result.by_verdict[verdict]++;
      const route = (result.by_route[routeKey] ??= { count: 0, server_errors: 0, dropped: 0, off_shape: 0 });
      route.count++;
      if (verdict === 'server-error') route.server_errors++;
      if (verdict === 'dropped') route.dropped++;
      if (verdict === 'off-shape' || verdict === 'leak') route.off_shape++;
      let finding: Finding | undefined;
      if (verdict !== 'ok') {
        const group = `${routeKey}|${verdict}|${r.status}|${c.kind.split(':').slice(0, 2).join(':')}`;
        const seen = groups.get(group) ?? 0;
        groups.set(group, seen + 1);
        if (seen < (o.maxFindingsPerGroup ?? 2)) {
          result.findings.push((finding = {
            verdict,
            route: routeKey,
            kind: c.kind,
            method: c.method,
            path: c.path.slice(0, 300),
            status: r.status,
            body: r.body.slice(0, 500),
            request_body: c.body ? c.body.subarray(0, 300).toString('utf8') : undefined,
          }));
        }
      }
      if (TRANSIENT.has(verdict) && again.length < 1000) again.push({ c, finding });
      if (result.total % 1000 === 0) {
        o.onProgress?.(result.total);
        await health();
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  // the confirm pass: each failure once more, alone
  for (const { c, finding } of again) {
    const r = await send(agent, { method: c.method, url: `${o.apiUrl}${c.path}`, headers: c.headers, body: c.body, timeoutMs: o.timeoutMs ?? 60_000 });
    const verdict = judge(c, r.status, r.headers, r.body);
    result.confirmed.resent++;
    if (verdict === 'server-error' || verdict === 'dropped') result.confirmed[verdict]++;
    if (finding) finding.reproduced = TRANSIENT.has(verdict);
  }
  await health();
  agent.destroy();
  result.duration_s = Math.round((performance.now() - started) / 100) / 10;
  return result;
}
