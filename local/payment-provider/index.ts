/**
 * The simulated payment provider: a third-party card processor's stand-in that the local cloud
 * runs beside the AWS emulators (it is not an AWS API, so it has its own port rather than an
 * edge route). Test cards behave as a sandbox's do (cards.ts), charges and refunds are kept in
 * the data folder, the API key is checked against the platform's secret in Secrets Manager, and
 * an outage, latency or a slow answer can be switched on from outside (`PUT /_sim/config`).
 * See README.md.
 *
 *   const provider = await createPaymentProvider({ dataDir, apiKey: secretsManagerApiKey({...}) });
 *   provider.url   // what the functions get as PAYMENT_PROVIDER_URL
 *   await provider.close();
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCharge, createRefund, error, findChargeByKey, getCharge, getRefund, type Answer, type ApiContext } from './api';
import { ApiKeyCheck, type ApiKeySource } from './auth';
import { CallStats, configProblems, DEFAULT_CONFIG, type CallKind, type SimulationConfig } from './simulation';
import { ProviderStore } from './store';
import { guardLoopback } from '../http/loopback-guard';

export { secretsManagerApiKey, staticApiKey, type ApiKeySource } from './auth';
export { TEST_CARDS } from './cards';
export type { SimulationConfig } from './simulation';

export interface PaymentProviderOptions {
  /** where charges and refunds are kept (created when missing) */
  dataDir: string;
  /** the key requests must present as `Authorization: Bearer <key>` */
  apiKey: ApiKeySource;
  /** 0 (default): an ephemeral port */
  port?: number;
  host?: string;
  /** the settings at start (default: no failures, no latency, slow card 15 s) */
  config?: Partial<SimulationConfig>;
  /** epoch ms, for the timestamps of charges */
  clock?: () => number;
  /** 0..1, for the failure rate */
  random?: () => number;
  log?: (m: string) => void;
}

export interface PaymentProvider {
  url: string;
  port: number;
  config(): SimulationConfig;
  setConfig(update: Partial<SimulationConfig>): SimulationConfig;
  stats(): ReturnType<CallStats['view']>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function readJson(req: http.IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; why: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return resolve({ ok: false, why: `the body is larger than ${MAX_BODY} bytes` });
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({ ok: true, value: {} });
      try {
        resolve({ ok: true, value: JSON.parse(text) });
      } catch {
        resolve({ ok: false, why: 'the body is not valid JSON' });
      }
    });
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, a: Answer, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(a.body);
  res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export async function createPaymentProvider(opts: PaymentProviderOptions): Promise<PaymentProvider> {
  const log = opts.log ?? (() => undefined);
  const now = opts.clock ?? Date.now;
  const random = opts.random ?? Math.random;
  const store = new ProviderStore(opts.dataDir, log);
  const stats = new CallStats();
  const auth = new ApiKeyCheck(opts.apiKey, now);
  let config: SimulationConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const timers = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  const wait = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (ms <= 0) return resolve();
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      timers.add(entry);
    });
  const ctx: ApiContext = { store, stats, now, slowMs: () => config.slow_ms, wait, busy: new Set() };

  async function api(req: http.IncomingMessage, url: URL): Promise<Answer> {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const kind: CallKind | undefined =
      method === 'POST' && path === '/v1/charges'
        ? 'charge'
        : method === 'POST' && path === '/v1/refunds'
          ? 'refund'
          : method === 'GET' && path === '/v1/charges'
            ? 'lookup'
            : method === 'GET' && /^\/v1\/charges\/[^/]+$/.test(path)
              ? 'get_charge'
              : method === 'GET' && /^\/v1\/refunds\/[^/]+$/.test(path)
                ? 'get_refund'
                : undefined;
    if (!kind) return error(404, 'invalid_request_error', 'unknown_endpoint', `no such endpoint: ${method} ${url.pathname}`);
    stats.count(kind);
    if (config.latency_ms > 0) await wait(config.latency_ms);
    if (!(await auth.allows(req.headers.authorization))) {
      stats.outcome('unauthorized');
      return error(401, 'authentication_error', 'invalid_api_key', 'invalid API key provided');
    }
    if (config.failure_rate > 0 && random() < config.failure_rate) {
      stats.outcome('outage');
      return error(503, 'api_error', 'service_unavailable', 'the provider is unavailable (simulated outage); retry later');
    }
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    if (kind === 'lookup') return findChargeByKey(ctx, url.searchParams.get('idempotency_key'));
    if (kind === 'get_charge') return getCharge(ctx, decodeURIComponent(path.split('/')[3]!));
    if (kind === 'get_refund') return getRefund(ctx, decodeURIComponent(path.split('/')[3]!));
    const body = await readJson(req);
    if (!body.ok || body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) {
      stats.outcome('invalid');
      return error(400, 'invalid_request_error', 'invalid_body', body.ok ? 'the body must be a JSON object' : body.why);
    }
    return kind === 'charge' ? createCharge(ctx, key, body.value as Record<string, unknown>) : createRefund(ctx, key, body.value as Record<string, unknown>);
  }

  async function simulation(req: http.IncomingMessage, url: URL): Promise<Answer> {
    if (url.pathname === '/_sim/config' && req.method === 'GET') return { status: 200, body: config };
    if (url.pathname === '/_sim/config' && req.method === 'PUT') {
      const body = await readJson(req);
      const problems = body.ok ? configProblems(body.value) : [body.why];
      if (problems.length) return error(400, 'invalid_request_error', 'invalid_config', problems.join('; '));
      return { status: 200, body: setConfig(body.ok ? (body.value as Partial<SimulationConfig>) : {}) };
    }
    if (url.pathname === '/_sim/stats' && req.method === 'GET') return { status: 200, body: stats.view() };
    if (url.pathname === '/_sim/stats' && req.method === 'DELETE') {
      stats.reset();
      return { status: 200, body: stats.view() };
    }
    return error(404, 'invalid_request_error', 'unknown_endpoint', `no such endpoint: ${req.method} ${url.pathname}`);
  }

  function setConfig(update: Partial<SimulationConfig>): SimulationConfig {
    const problems = configProblems(update);
    if (problems.length) throw new Error(problems.join('; '));
    config = { ...config, ...update };
    log(`payment-provider: config ${JSON.stringify(config)}`);
    return config;
  }

  const server = http.createServer(guardLoopback((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const handle = url.pathname === '/health' ? Promise.resolve<Answer>({ status: 200, body: { status: 'ok' } }) : url.pathname.startsWith('/_sim/') ? simulation(req, url) : api(req, url);
    handle.then(
      (a) => send(res, a),
      (err: Error) => {
        if (!res.headersSent) send(res, error(503, 'api_error', 'service_unavailable', 'the provider is shutting down'));
        if (err.message !== 'closed') log(`payment-provider: ${req.method} ${url.pathname}: ${err.stack ?? err.message}`);
      },
    );
  }, { name: 'payment-provider', log }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config: () => config,
    setConfig,
    stats: () => stats.view(),
    close: async () => {
      for (const t of timers) {
        clearTimeout(t.timer);
        t.reject(new Error('closed'));
      }
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
