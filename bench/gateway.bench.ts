/**
 * Local API Gateway + Lambda runtime vs a bare node:http server running the same handler, in one process.
 * The gateway route requires an API key on a usage plan with high limits, so key lookup, quota and throttle checks
 * are on the measured path, and the handler runs in a worker-thread execution environment.
 * Load: autocannon, programmatically, at 1 and 32 concurrent connections. Bare and gateway runs alternate for several
 * rounds and the medians are reported, because this machine is shared and single runs vary a lot.
 * Target: gateway throughput >= half of the bare server's.
 *
 * Tracing: the same gateway and function with X-Ray on (the stage's segment, Lambda's segments, the
 * function's Powertools Tracer subsegment over UDP to the local daemon) and off (no segments, the
 * Tracer disabled), alternating in the same run. Target: tracing costs at most 10% of throughput.
 * Then the daemon alone: how many segment documents per second it takes in over UDP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApiGateway } from '../local/apigateway';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { LambdaRuntime } from '../local/lambda';
import { createXRay, type XRay } from '../local/xray';
import type { BenchOptions } from './run';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, r: AutocannonResult) => void) => AutocannonInstance;
// autocannon ships no type declarations; this is the part of its programmatic API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const FIXTURES = path.resolve(__dirname, '../test/fixtures/handlers');
const API_KEY = 'bench-key-0123456789abcdef0123456789';
/** Latency histogram: 1 µs buckets up to 100 ms. (autocannon's own histogram has 1 ms resolution.) */
const HIST_US = 100_000;

interface Figures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

function percentile(hist: Uint32Array, count: number, p: number): number {
  const rank = Math.ceil((p / 100) * count);
  let seen = 0;
  for (let us = 0; us < hist.length; us++) {
    seen += hist[us];
    if (seen >= rank) return us / 1000;
  }
  return HIST_US / 1000;
}

function load(url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<Figures> {
  const hist = new Uint32Array(HIST_US + 1);
  let count = 0;
  return new Promise((resolve, reject) => {
    const inst = autocannon({ url, connections, duration: seconds, headers, pipelining: 1 }, (err, r) => {
      if (err) return reject(err);
      resolve({
        reqPerSec: Math.round(r.requests.total / seconds),
        p50Ms: percentile(hist, count, 50),
        p99Ms: percentile(hist, count, 99),
        total: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      });
    });
    inst.on('response', (_c, _status, _bytes, ms) => {
      hist[Math.min(HIST_US, Math.round(ms * 1000))]++;
      count++;
    });
  });
}

async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(FIXTURES, 'proxy.js')) as { ok: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
  const server = http.createServer((req, res) => {
    req.resume();
    mod.ok({}, {}).then(
      (r) => {
        res.writeHead(r.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) });
        res.end(r.body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/ok`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(runs: Figures[]): Record<string, unknown> {
  return {
    reqPerSec: Math.round(median(runs.map((r) => r.reqPerSec))),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    rounds: runs.map((r) => r.reqPerSec),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

function benchApi(functionName: string) {
  return {
    id: 'benchapi01',
    name: 'bench',
    stageName: 'prod',
    resources: [{ path: '/api/ok', methods: [{ httpMethod: 'GET', apiKeyRequired: true, integration: { type: 'AWS_PROXY' as const, functionName } }] }],
    apiKeys: [{ id: 'benchkey', name: 'bench', value: API_KEY, enabled: true }],
    usagePlans: [
      {
        id: 'benchplan',
        name: 'bench',
        throttle: { rateLimit: 1_000_000, burstLimit: 1_000_000 },
        quota: { limit: 1_000_000_000, period: 'DAY' as const },
        apiStages: [{ apiId: 'benchapi01', stage: 'prod' }],
        keyIds: ['benchkey'],
      },
    ],
  };
}

/** One gateway and runtime running the traced proxy handler, with tracing on (an X-Ray) or off. */
async function tracedStack(xray: XRay | undefined) {
  const runtime = new LambdaRuntime({ defaultConcurrency: 64, tracing: xray });
  runtime.register({
    name: 'bench-traced',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-traced',
    codeDir: FIXTURES,
    handler: 'traced-proxy.handler',
    // off: the function's tracing is off too (Powertools reads POWERTOOLS_TRACE_ENABLED)
    environment: xray ? { AWS_XRAY_DAEMON_ADDRESS: xray.daemonAddress, AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' } : { POWERTOOLS_TRACE_ENABLED: 'false', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' },
    timeoutSeconds: 3,
    memoryMb: 128,
  });
  const gateway = await createApiGateway({ apis: [benchApi('bench-traced')] as never, invoke: (fn, event, o) => runtime.invoke(fn, event, o), tracing: xray });
  return { url: `${gateway.url}/prod/api/ok`, close: async () => (await gateway.close(), await runtime.close()) };
}

/**
 * Segment documents per second the daemon takes in: `count` datagrams sent by another process (as
 * the functions' X-Ray SDKs send them, one per subsegment), in bursts of 100, as fast as it can.
 */

async function daemonRate(xray: XRay, count: number): Promise<Record<string, number>> {
  const before = xray.daemon.stats.received;
  const [host, port] = xray.daemonAddress.split(':');
  const sender = `
    const dgram = require('node:dgram');
    const socket = dgram.createSocket('udp4');
    const now = Math.floor(Date.now() / 1000);
    const doc = (i) => '{"format":"json","version":1}\\n' + JSON.stringify({ name: 'bench-fn', id: i.toString(16).padStart(16, '0'), trace_id: '1-' + now.toString(16) + '-' + (i >> 3).toString(16).padStart(24, '0'), parent_id: 'aaaaaaaaaaaaaaaa', type: 'subsegment', start_time: now, end_time: now + 0.001, annotations: { service: 'bench' } });
    let i = 0;
    const burst = () => {
      let left = Math.min(100, ${count} - i);
      if (left <= 0) return socket.close();
      const n = left;
      for (let k = 0; k < n; k++) socket.send(doc(i + k), ${Number(port)}, '${host}', () => { if (--left === 0) { i += n; setImmediate(burst); } });
    };
    burst();`;
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', sender], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  const sentIn = (performance.now() - started) / 1000;
  // done when everything arrived, or nothing more arrived for 300 ms (the rest was dropped)
  let last = xray.daemon.stats.received;
  let lastAt = performance.now();
  while (xray.daemon.stats.received - before < count && performance.now() - lastAt < 300) {
    await new Promise((r) => setTimeout(r, 5));
    if (xray.daemon.stats.received !== last) {
      last = xray.daemon.stats.received;
      lastAt = performance.now();
    }
  }
  const seconds = (lastAt - started) / 1000;
  const received = xray.daemon.stats.received - before;
  return { sent: count, sentPerSec: Math.round(count / sentIn), received, dropped: count - received, segmentsPerSec: Math.round(received / seconds) };
}

export default async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const rounds = opts.quick ? 2 : 5;
  const seconds = opts.quick ? 1 : 4;
  const runtime = new LambdaRuntime({ defaultConcurrency: 64 });
  runtime.register({
    name: 'bench-ok',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-ok',
    codeDir: FIXTURES,
    handler: 'proxy.ok',
    environment: {},
    timeoutSeconds: 3,
    memoryMb: 128,
  });
  const gateway = await createApiGateway({
    apis: [
      {
        id: 'benchapi01',
        name: 'bench',
        stageName: 'prod',
        resources: [
          {
            path: '/api/ok',
            methods: [{ httpMethod: 'GET', apiKeyRequired: true, integration: { type: 'AWS_PROXY', functionName: 'bench-ok' } }],
          },
        ],
        apiKeys: [{ id: 'benchkey', name: 'bench', value: API_KEY, enabled: true }],
        usagePlans: [
          {
            id: 'benchplan',
            name: 'bench',
            throttle: { rateLimit: 1_000_000, burstLimit: 1_000_000 },
            quota: { limit: 1_000_000_000, period: 'DAY' },
            apiStages: [{ apiId: 'benchapi01', stage: 'prod' }],
            keyIds: ['benchkey'],
          },
        ],
      },
    ],
    invoke: (fn, event, o) => runtime.invoke(fn, event, o),
  });
  const bare = await bareServer();
  const gwUrl = `${gateway.url}/prod/api/ok`;
  const headers = { 'x-api-key': API_KEY };
  const results: Record<string, unknown> = { rounds, secondsPerRun: seconds, loadGenerator: 'autocannon 8, in-process' };
  try {
    // Warm-up: JIT both paths and start the execution environments.
    await load(bare.url, 32, 1, {});
    await load(gwUrl, 32, 1, headers);
    for (const connections of [1, 32]) {
      const bareRuns: Figures[] = [];
      const gwRuns: Figures[] = [];
      for (let r = 0; r < rounds; r++) {
        bareRuns.push(await load(bare.url, connections, seconds, {}));
        gwRuns.push(await load(gwUrl, connections, seconds, headers));
      }
      const b = summarize(bareRuns);
      const g = summarize(gwRuns);
      results[`connections${connections}`] = {
        bare: b,
        gateway: g,
        throughputRatio: Number(((g.reqPerSec as number) / (b.reqPerSec as number)).toFixed(3)),
        roundRatios: gwRuns.map((x, i) => Number((x.reqPerSec / bareRuns[i].reqPerSec).toFixed(3))),
      };
    }
  } finally {
    await bare.close();
    await gateway.close();
    await runtime.close();
  }

  // tracing on and off, the same gateway, function and load, alternating
  const xrayDir = mkdtempSync(path.join(os.tmpdir(), 'bench-xray-'));
  const xray = await createXRay({ dataDir: xrayDir, accountId: '000000000000', daemonPort: 0 });
  const on = await tracedStack(xray);
  const off = await tracedStack(undefined);
  try {
    await load(off.url, 32, 1, headers);
    await load(on.url, 32, 1, headers);
    for (const connections of [1, 32]) {
      const offRuns: Figures[] = [];
      const onRuns: Figures[] = [];
      for (let r = 0; r < rounds; r++) {
        offRuns.push(await load(off.url, connections, seconds, headers));
        onRuns.push(await load(on.url, connections, seconds, headers));
      }
      const a = summarize(offRuns);
      const b = summarize(onRuns);
      results[`tracing_connections${connections}`] = {
        off: a,
        on: b,
        throughputCost: Number((1 - (b.reqPerSec as number) / (a.reqPerSec as number)).toFixed(3)),
        roundCosts: onRuns.map((x, i) => Number((1 - x.reqPerSec / offRuns[i].reqPerSec).toFixed(3))),
      };
    }
    xray.store.flush();
    results.tracingSegmentsStored = xray.store.received;
    results.daemon = await daemonRate(xray, opts.quick ? 20_000 : 100_000);
  } finally {
    await on.close();
    await off.close();
    await xray.close();
    rmSync(xrayDir, { recursive: true, force: true });
  }
  return results;
}
