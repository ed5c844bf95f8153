/**
 * A burst on a cold function: the local Lambda runtime's first `ab -n 1000 -c 50` (1000
 * invocations, 50 at a time) of the catalog's query function (bundled as the CDK bundles it),
 * with the cold-start bound off (one new environment per concurrent request, as before) and on
 * (maxConcurrentColdStarts: the cores, as the local cloud sets it), each on a fresh runtime,
 * then the same burst once warm. The requests are searches the function answers without its
 * backends (a query parameter out of range: 400 after routing and validation), so the figures
 * are the runtime's and the function's own, not OpenSearch's.
 *
 * npm run bench -- lambda-burst
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LambdaRuntime } from '../local/lambda';
import type { BenchOptions } from './run';

const FN = 'catalog-queries';

function bundle(dir: string): void {
  buildSync({
    entryPoints: [path.join(__dirname, '..', 'lambdas', 'catalog', 'handlers', 'queries.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    keepNames: true,
    external: ['avro-js', 'protobufjs'],
    logLevel: 'error',
  });
}

function searchEvent(i: number) {
  return {
    resource: '/api/catalog/search/{query}',
    path: `/api/catalog/search/shoe${i % 7}`,
    httpMethod: 'GET',
    headers: { 'x-api-key': 'bench' },
    multiValueHeaders: {},
    queryStringParameters: { limit: '100000' },
    multiValueQueryStringParameters: { limit: ['100000'] },
    pathParameters: { query: `shoe${i % 7}` },
    stageVariables: null,
    requestContext: { requestId: `bench-${i}`, stage: 'prod', httpMethod: 'GET', path: `/prod/api/catalog/search/shoe${i % 7}`, identity: { sourceIp: '127.0.0.1' } },
    body: null,
    isBase64Encoded: false,
  };
}

interface Figures {
  requests: number;
  concurrency: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  coldStarts: number;
  statuses: Record<string, number>;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** ab's model: `concurrency` clients, each sending its next request when the last one answered. */
async function burst(runtime: LambdaRuntime, requests: number, concurrency: number): Promise<Figures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let cold = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        const r = await runtime.invoke(FN, searchEvent(i));
        latencies.push(performance.now() - t0);
        if (r.status === 'ok' && (r as { coldStart: boolean }).coldStart) cold++;
        const key = r.status === 'ok' ? String((r.payload as { statusCode?: number })?.statusCode) : `${r.status} ${r.errorType}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests,
    concurrency,
    reqPerSec: Math.round(requests / seconds),
    p50Ms: round(pct(latencies, 50)),
    p95Ms: round(pct(latencies, 95)),
    p99Ms: round(pct(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1]!),
    coldStarts: cold,
    statuses,
  };
}

async function scenario(codeDir: string, sinkPort: number, maxConcurrentColdStarts: number | undefined, requests: number, concurrency: number) {
  // as the local cloud runs it (requests over the local concurrency cap wait rather than throttle),
  // with the cap of 32 environments the measurement had
  const runtime = new LambdaRuntime({ defaultConcurrency: 32, queueOverLocalLimit: true, maxConcurrentColdStarts });
  runtime.register({
    name: FN,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${FN}`,
    codeDir,
    handler: 'index.handler',
    environment: {
      PRODUCTS_TABLE: 'products',
      OPENSEARCH_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(sinkPort),
      POWERTOOLS_SERVICE_NAME: 'catalog',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_NAMESPACE: 'Ecommerce',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
    timeoutSeconds: 30,
    memoryMb: 256,
  });
  try {
    const first = await burst(runtime, requests, concurrency);
    const warm = await burst(runtime, requests, concurrency);
    return { first, warm, environments: runtime.environments(FN) };
  } finally {
    await runtime.close();
  }
}

export default async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const requests = opts.quick ? 200 : 1000;
  const concurrency = 50;
  const bound = Math.max(2, os.availableParallelism());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-burst-'));
  // the function opens its Redis connection at start-up; a listener that accepts and never
  // answers keeps the environments from spending the burst in reconnect loops to a closed port
  const sink = net.createServer((socket) => socket.on('error', () => undefined));
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkPort = (sink.address() as net.AddressInfo).port;
  try {
    bundle(dir);
    const unbounded = await scenario(dir, sinkPort, undefined, requests, concurrency);
    const bounded = await scenario(dir, sinkPort, bound, requests, concurrency);
    return {
      workload: `${requests} searches, ${concurrency} at a time, on a cold function (catalog queries bundle)`,
      unbounded: { maxConcurrentColdStarts: 'none', ...unbounded },
      bounded: { maxConcurrentColdStarts: bound, ...bounded },
    };
  } finally {
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
