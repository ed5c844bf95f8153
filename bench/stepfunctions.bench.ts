/**
 * Local Step Functions throughput and latency, through the API, against aws-local-stepfunctions in-process
 * on the same definitions, in the same run:
 *
 * - a 5-state Pass machine, and a 3-task Lambda machine (lambda:invoke of a trivial fixture handler through
 *   the real local Lambda runtime, for both interpreters);
 * - 1 and 50 concurrent clients, each starting an execution and waiting for its end, again and again.
 *
 * Local Step Functions: StartExecution through @aws-sdk/client-sfn over HTTP, durable journal on disk; the
 * end is seen through the onHistoryEvent hook (no polling). Library: `stateMachine.run(input).result`.
 * Figures: executions per second (completed / wall time) and StartExecution-to-end p50/p95 in ms.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SFNClient, CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LambdaRuntime } from '../local/lambda';
import { createStepFunctions } from '../local/stepfunctions';
import type { BenchOptions } from './run';
import { loadLibrary } from './stepfunctions-library';

const PASS_MACHINE = {
  StartAt: 'P1',
  States: {
    P1: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'P2' },
    P2: { Type: 'Pass', Result: 'two', ResultPath: '$.two', Next: 'P3' },
    P3: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'two.$': '$.two' }, Next: 'P4' },
    P4: { Type: 'Pass', ResultPath: '$.copy', Next: 'P5' },
    P5: { Type: 'Pass', OutputPath: '$.copy', End: true },
  },
};
const task = (next?: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'bench-increment', 'Payload.$': '$' }, OutputPath: '$.Payload', ...(next ? { Next: next } : { End: true }) });
const LAMBDA_MACHINE = { StartAt: 'T1', States: { T1: task('T2'), T2: task('T3'), T3: task() } };

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 100) / 100;
}

async function drive(clients: number, durationMs: number, one: () => Promise<void>) {
  const latencies: number[] = [];
  const until = Date.now() + durationMs;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const s = process.hrtime.bigint();
        await one();
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  return { executions: latencies.length, perSecond: Math.round(latencies.length / wall), p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) };
}

export default async function stepfunctionsBench(opts: BenchOptions) {
  const durationMs = opts.quick ? 1500 : 6000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-bench-'));
  // shortFunctionMs 0: no invocation queued behind a running one (stolen followers are throttled under this load)
  const runtime = new LambdaRuntime({ queueOverLocalLimit: true, shortFunctionMs: 0 });
  runtime.register({
    name: 'bench-increment',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-increment',
    codeDir: path.resolve(__dirname, '../test/fixtures/handlers'),
    handler: 'stepfunctions.increment',
    environment: {},
    timeoutSeconds: 10,
    memoryMb: 128,
  });
  const waiters = new Map<string, () => void>();
  const sfn = createStepFunctions({
    dataDir,
    invokeLambda: (fn, payload, o) => runtime.invoke(fn, payload, { traceHeader: o.traceHeader }),
    edgeUrl: () => 'http://127.0.0.1:9',
    onHistoryEvent: (arn, ev) => {
      if (ev.type === 'ExecutionSucceeded' || ev.type === 'ExecutionFailed') {
        const w = waiters.get(arn);
        if (w) {
          waiters.delete(arn);
          w();
        } else waiters.set(arn, () => undefined);
      }
    },
  });
  const server = http.createServer((req, res) => void sfn.route(req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const client = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) } as never,
  });
  const lib = await loadLibrary();
  const results: Record<string, unknown> = {};
  try {
    for (const [label, def] of [
      ['pass5', PASS_MACHINE],
      ['lambda3', LAMBDA_MACHINE],
    ] as const) {
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: `bench-${label}`, roleArn: 'arn:aws:iam::000000000000:role/bench', definition: JSON.stringify(def) }));
      const local = async () => {
        const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
        await new Promise<void>((resolve) => {
          if (waiters.has(executionArn!)) {
            waiters.delete(executionArn!);
            resolve();
          } else waiters.set(executionArn!, resolve);
        });
      };
      const machine = new lib.lib.StateMachine(def as never);
      const overrides = {
        taskResourceLocalHandlers: Object.fromEntries(
          Object.keys(def.States).map((n) => [
            n,
            async (input: { FunctionName: string; Payload: unknown }) => {
              const r = await runtime.invoke(input.FunctionName, input.Payload);
              if (r.status !== 'ok') throw new Error(r.status);
              return { Payload: r.payload };
            },
          ]),
        ),
      };
      const library = async () => {
        const ex = machine.run({ n: 1 } as never, label === 'lambda3' ? { overrides: overrides as never } : undefined);
        await ex.result;
      };
      await drive(4, 300, local);
      await drive(4, 300, library);
      for (const clients of [1, 50]) {
        results[`${label}/local-stepfunctions/${clients}`] = await drive(clients, durationMs, local);
        results[`${label}/aws-local-stepfunctions/${clients}`] = await drive(clients, durationMs, library);
      }
    }
  } finally {
    client.destroy();
    sfn.close();
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
