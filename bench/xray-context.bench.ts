/**
 * The X-Ray SDK's context in a function's bundle: cls-hooked (the SDK's own dependency) against
 * lambdas/shared/xray-context.ts (AsyncLocalStorage, what the functions' bundles alias it to).
 *
 * One entry bundled twice with esbuild, the second with the alias the CDK construct passes
 * (`--alias:cls-hooked/context`), each run in a child process of its own in Lambda mode
 * (LAMBDA_TASK_ROOT, AWS_EXECUTION_ENV, `_X_AMZN_TRACE_ID` sampled, the daemon address a UDP socket here that reads
 * and drops): invocations as a Powertools-traced handler makes them (a `## handler` subsegment,
 * three DocumentClient GetItems and a PutItem through `captureAWSv3Client`, whose HTTP handler
 * answers from memory so that only the client side is measured), CPU time per invocation, the
 * two variants alternated three times. Figures: CPU ms per invocation of each (medians) and their
 * ratio.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { XRAY_CONTEXT_MODULE } from '../lib/constructs/service-function';
import type { BenchOptions } from './run';

const ENTRY = `
const { Tracer } = require('@aws-lambda-powertools/tracer');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand, PutCommand } = require('@aws-sdk/lib-dynamodb');
const ITEM = Buffer.from(JSON.stringify({ Item: { pk: { S: 'p' }, n: { N: '1' }, name: { S: 'a product' } } }));
const requestHandler = {
  handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r' }, body: ITEM } }),
  updateHttpClientConfig() {},
  httpHandlerConfigs() { return {}; },
};
const tracer = new Tracer({ serviceName: 'bench' });
const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler })));
async function invocation(i) {
  const segment = tracer.getSegment();
  const sub = segment.addNewSubsegment('## handler');
  tracer.setSegment(sub);
  try {
    for (let k = 0; k < 3; k++) await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'p' + k } }));
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'p' + i, n: i } }));
  } finally {
    sub.close();
    tracer.setSegment(segment);
  }
}
(async () => {
  const n = Number(process.env.BENCH_INVOCATIONS);
  for (let i = 0; i < 200; i++) await invocation(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await invocation(i);
  const used = process.cpuUsage(t0);
  process.stdout.write(JSON.stringify({ cpuMsPerInvocation: (used.user + used.system) / 1000 / n }));
})();
`;

async function bundle(dir: string, name: string, alias: boolean): Promise<string> {
  const out = path.join(dir, `${name}.js`);
  await build({
    stdin: { contents: ENTRY, resolveDir: path.resolve(__dirname, '..'), loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    outfile: out,
    logLevel: 'error',
    external: ['avro-js', 'protobufjs'],
    alias: alias ? { 'cls-hooked/context': XRAY_CONTEXT_MODULE } : {},
  });
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export default async function run(opts: BenchOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xray-context-bench-'));
  const daemon = dgram.createSocket('udp4');
  let datagrams = 0;
  daemon.on('message', () => (datagrams += 1));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  const port = (daemon.address() as AddressInfo).port;
  try {
    const files = { clsHooked: await bundle(dir, 'cls-hooked', false), asyncLocalStorage: await bundle(dir, 'als', true) };
    const invocations = opts.quick ? 1000 : 4000;
    const samples: Record<keyof typeof files, number[]> = { clsHooked: [], asyncLocalStorage: [] };
    /** segments the daemon received per invocation: both variants trace alike */
    const sent: Record<keyof typeof files, number[]> = { clsHooked: [], asyncLocalStorage: [] };
    for (let pass = 0; pass < 3; pass++) {
      for (const variant of ['clsHooked', 'asyncLocalStorage'] as const) {
        // the daemon socket is read by this process's event loop while the child runs
        datagrams = 0;
        const out = await new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [files[variant]], {
            env: {
              PATH: process.env.PATH,
              LAMBDA_TASK_ROOT: '/var/task',
              AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
              AWS_LAMBDA_FUNCTION_NAME: 'bench',
              AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
              _X_AMZN_TRACE_ID: 'Root=1-6b0f507c-0123456789abcdef01234567;Parent=fa11fa11fa11fa11;Sampled=1',
              AWS_XRAY_LOG_LEVEL: 'silent',
              POWERTOOLS_SERVICE_NAME: 'bench',
              BENCH_INVOCATIONS: String(invocations),
            },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let text = '';
          child.stdout!.on('data', (d: Buffer) => (text += d.toString('utf8')));
          child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${variant} exited ${code}`))));
        });
        samples[variant].push((JSON.parse(out) as { cpuMsPerInvocation: number }).cpuMsPerInvocation);
        await new Promise((resolve) => setTimeout(resolve, 100)); // the last datagrams
        sent[variant].push(round(datagrams / (invocations + 200), 2));
      }
    }
    const cls = median(samples.clsHooked);
    const als = median(samples.asyncLocalStorage);
    return {
      workload: `per invocation: a ## handler subsegment, 3 GetItem + 1 PutItem through the DocumentClient captured by Powertools Tracer (HTTP answered from memory); ${invocations} invocations after 200 unmeasured, 3 alternated runs each`,
      cpuMsPerInvocation: { clsHooked: round(cls), asyncLocalStorage: round(als) },
      samples: { clsHooked: samples.clsHooked.map((x) => round(x)), asyncLocalStorage: samples.asyncLocalStorage.map((x) => round(x)) },
      asyncLocalStorageOverClsHooked: round(als / cls, 2),
      segmentsSentPerInvocation: sent,
    };
  } finally {
    daemon.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
