/**
 * Local SQS benchmark: messages per second through the API with @aws-sdk/client-sqs, each message
 * sent, received and deleted (SendMessage, ReceiveMessage, DeleteMessage: three calls per
 * message), at 1 and at 16 concurrent clients; and the same in batches of 10
 * (SendMessageBatch, ReceiveMessage with MaxNumberOfMessages 10, DeleteMessageBatch).
 *
 * `raw_16_clients_no_sdk` repeats the single-message cycle with plain HTTP requests (no SigV4,
 * no SDK serde) to show the emulator's own capacity.
 *
 * The emulator runs behind an edge in its own Node process (this file re-executed with
 * SQS_BENCH_DIR set), as it runs in the local cloud beside the functions that call it; every
 * write goes to its journal as in normal use.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BenchOptions } from './run';
import { startEdge } from '../local/edge';
import { createSqsEmulator } from '../local/sqs';

async function emulatorInChild(dataDir: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], { env: { ...process.env, SQS_BENCH_DIR: dataDir }, stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /URL (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`benchmark emulator exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

function client(url: string): SQSClient {
  return new SQSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
}

async function run(url: string, queueName: string, clients: number, seconds: number, batch: boolean): Promise<{ messagesPerSecond: number; callsPerSecond: number; messages: number }> {
  const setup = client(url);
  const { QueueUrl } = await setup.send(new CreateQueueCommand({ QueueName: queueName }));
  setup.destroy();
  const sqsClients = Array.from({ length: clients }, () => client(url));
  const until = performance.now() + seconds * 1000;
  let messages = 0;
  let calls = 0;
  const body = JSON.stringify({ order_id: 'ord-123', total: 4999, currency: 'EUR', lines: [{ sku: 'sku-1', qty: 2 }] });
  const started = performance.now();
  await Promise.all(
    sqsClients.map(async (c, i) => {
      while (performance.now() < until) {
        if (batch) {
          await c.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, k) => ({ Id: `m${k}`, MessageBody: body })) }));
          const got = await c.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
          const ms = got.Messages ?? [];
          if (ms.length) await c.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: ms.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle! })) }));
          messages += ms.length;
          calls += ms.length ? 3 : 2;
        } else {
          await c.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: { client: { DataType: 'Number', StringValue: String(i) } } }));
          const got = await c.send(new ReceiveMessageCommand({ QueueUrl }));
          const m = got.Messages?.[0];
          if (m) await c.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
          messages += m ? 1 : 0;
          calls += m ? 3 : 2;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const c of sqsClients) c.destroy();
  return { messagesPerSecond: Math.round(messages / elapsed), callsPerSecond: Math.round(calls / elapsed), messages };
}

/** One JSON-protocol call without the SDK (no SigV4 signing, no schema serde): what the emulator alone can do. */
function rawCall(agent: http.Agent, url: URL, op: string, body: unknown): Promise<Record<string, unknown>> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: '/', method: 'POST', agent, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${op}`, 'content-length': Buffer.byteLength(data) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>) : reject(new Error(`${op}: ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function runRaw(base: string, queueName: string, clients: number, seconds: number): Promise<{ messagesPerSecond: number; callsPerSecond: number; messages: number }> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const { QueueUrl } = (await rawCall(agent, url, 'CreateQueue', { QueueName: queueName })) as { QueueUrl: string };
  const body = JSON.stringify({ order_id: 'ord-123', total: 4999, currency: 'EUR', lines: [{ sku: 'sku-1', qty: 2 }] });
  const until = performance.now() + seconds * 1000;
  let messages = 0;
  let calls = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        await rawCall(agent, url, 'SendMessage', { QueueUrl, MessageBody: body });
        const got = (await rawCall(agent, url, 'ReceiveMessage', { QueueUrl })) as { Messages?: Array<{ ReceiptHandle: string }> };
        const m = got.Messages?.[0];
        if (m) await rawCall(agent, url, 'DeleteMessage', { QueueUrl, ReceiptHandle: m.ReceiptHandle });
        messages += m ? 1 : 0;
        calls += m ? 3 : 2;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { messagesPerSecond: Math.round(messages / elapsed), callsPerSecond: Math.round(calls / elapsed), messages };
}

export default async function bench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-bench-'));
  const emulator = await emulatorInChild(dataDir);
  const seconds = opts.quick ? 2 : 10;
  try {
    const results: Record<string, unknown> = { seconds, note: 'messages/s each sent, received and deleted through the API; emulator in its own process' };
    for (const clients of [1, 16]) {
      results[`single_${clients}_clients`] = await run(emulator.url, `single-${clients}`, clients, seconds, false);
      results[`batch10_${clients}_clients`] = await run(emulator.url, `batch-${clients}`, clients, seconds, true);
    }
    // the same cycle without the SDK, to show what the emulator alone sustains (the SDK's signing
    // and serde cost more CPU than the emulator's work on these 2 cores)
    results.raw_16_clients_no_sdk = await runRaw(emulator.url, 'raw-16', 16, seconds);
    results.loadAverage = os.loadavg().map((l) => Math.round(l * 10) / 10);
    results.journalBytes = fs.readdirSync(dataDir).reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0);
    return results;
  } finally {
    await emulator.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.env.SQS_BENCH_DIR) {
  let url = '';
  const sqs = createSqsEmulator({ dataDir: process.env.SQS_BENCH_DIR, region: 'us-east-1', accountId: '000000000000', edgeUrl: () => url });
  void startEdge({ port: 0, services: [{ name: 'sqs', route: sqs.route }] }).then((edge) => {
    url = edge.url;
    process.stdout.write(`URL ${edge.url}\n`);
    process.stdin.resume();
    process.stdin.on('end', () => void edge.close().then(() => sqs.close()).then(() => process.exit(0)));
  });
}
