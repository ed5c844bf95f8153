/**
 * Kafka broker benchmark: produce and consume throughput with kafkajs (100-byte and 1 KiB
 * messages, 1,000 messages per send, several sends in flight), and publish-to-handler latency
 * through startKafkaEventSourceMapping (one message per send; the handler records
 * now - produce time). Targets: >= 50,000 msg/s each way at 100 bytes, p95 <= 50 ms.
 *
 * `rawProduce100B` measures the broker alone: one record batch of 1,000 x 100 B encoded once
 * (by kafkajs' encoder) and replayed as pipelined Produce v3 requests over one socket, so no
 * client-side encoding limits the rate.
 *
 * The broker runs in its own Node process (this file re-executed with KAFKA_BENCH_BROKER_DIR
 * set), as it does beside the functions of the local cloud, so clients and broker do not share
 * one event loop; `inProcess` figures put both in this process for comparison.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { startKafkaEventSourceMapping } from '../local/esm/kafka';
import { createKafkaBroker, type KafkaBroker } from '../local/kafka';
import { crc32c } from '../local/kafka/crc32c';
import { BATCH_HEADER_SIZE, splitAndValidateBatches, walkRecords } from '../local/kafka/protocol/records';
import { LambdaRuntime } from '../local/lambda';

interface BrokerHandle {
  bootstrap: string;
  stop(): Promise<void>;
}

async function brokerInChild(dataDir: string): Promise<BrokerHandle> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, KAFKA_BENCH_BROKER_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`benchmark broker exited with ${code}`)));
  });
  return {
    bootstrap: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end(); // the child closes the broker when its stdin ends
      }),
  };
}

async function brokerInProcess(dataDir: string): Promise<BrokerHandle> {
  const b: KafkaBroker = await createKafkaBroker({ port: 0, dataDir });
  return { bootstrap: b.bootstrap, stop: () => b.close() };
}

function kafkaClient(bootstrap: string, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING });
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

async function produceThroughput(bootstrap: string, topic: string, total: number, size: number, compression = CompressionTypes.None) {
  const kafka = kafkaClient(bootstrap, 'bench-producer');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: 8 });
  await producer.connect();
  const perSend = 1000;
  const inFlight = 4;
  const value = Buffer.alloc(size, 0x61);
  const messages = Array.from({ length: perSend }, () => ({ value }));
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      sent += perSend;
      await producer.send({ topic, acks: -1, compression, messages });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const secs = (performance.now() - started) / 1000;
  await producer.disconnect();
  return { messages: sent, seconds: round(secs, 2), msgPerSec: Math.round(sent / secs), mbPerSec: round((sent * size) / secs / 1e6) };
}

async function consumeThroughput(bootstrap: string, topic: string, total: number, size: number) {
  const kafka = kafkaClient(bootstrap, 'bench-consumer');
  const consumer = kafka.consumer({ groupId: `bench-${topic}`, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let got = 0;
  let started = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (!started) started = performance.now();
        got += batch.messages.length;
        if (got >= total) resolve();
      },
    });
  });
  const t0 = performance.now();
  await done;
  const end = performance.now();
  await consumer.disconnect();
  const secs = (end - t0) / 1000;
  return { messages: got, seconds: round(secs, 2), msgPerSec: Math.round(got / secs), mbPerSec: round((got * size) / secs / 1e6), firstBatchAfterMs: round(started - t0) };
}

// kafkajs' record batch encoder, used once to build the replayed batch.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

function produceFrame(topic: string, records: Buffer, correlationId: number): Buffer {
  const t = Buffer.from(topic);
  const body = Buffer.alloc(2 + 2 + 4 + 4 + 2 + t.length + 4 + 4 + 4);
  let at = body.writeInt16BE(-1, 0); // transactional_id: null
  at = body.writeInt16BE(-1, at); // acks
  at = body.writeInt32BE(30_000, at);
  at = body.writeInt32BE(1, at);
  at = body.writeInt16BE(t.length, at);
  at += t.copy(body, at);
  at = body.writeInt32BE(1, at);
  at = body.writeInt32BE(0, at);
  body.writeInt32BE(records.length, at);
  const header = Buffer.alloc(4 + 2 + 2 + 4 + 2);
  header.writeInt32BE(header.length - 4 + body.length + records.length, 0);
  header.writeInt16BE(0, 4); // Produce
  header.writeInt16BE(3, 6);
  header.writeInt32BE(correlationId, 8);
  header.writeInt16BE(-1, 12); // client_id: null
  return Buffer.concat([header, body, records]);
}

async function rawProduce(bootstrap: string, requests: number) {
  const topic = 'b-raw';
  const kafka = kafkaClient(bootstrap, 'bench-raw');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const now = Date.now();
  const value = Buffer.alloc(100, 0x62);
  const records = (
    await RecordBatch({
      records: Array.from({ length: 1000 }, (_, i) => Record({ offsetDelta: i, key: null, value })),
      lastOffsetDelta: 999,
      firstTimestamp: now,
      maxTimestamp: now,
    })
  ).buffer;
  const [host, port] = bootstrap.split(':');
  const socket = net.connect(Number(port), host);
  await new Promise((r) => socket.once('connect', r));
  const window = 16;
  let sent = 0;
  let answered = 0;
  let pending = Buffer.alloc(0);
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent < requests && sent - answered < window) socket.write(produceFrame(topic, records, sent++));
    };
    socket.on('data', (d) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        pending = pending.subarray(4 + pending.readInt32BE(0));
        answered++;
      }
      if (answered === requests) resolve();
      else pump();
    });
    pump();
  });
  const secs = (performance.now() - started) / 1000;
  socket.destroy();
  const messages = requests * 1000;
  return { messages, seconds: round(secs, 2), msgPerSec: Math.round(messages / secs), mbPerSec: round((messages * 100) / secs / 1e6) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Publish-to-handler latency. With `runtime`, the mapping invokes a real function on the local
 * Lambda runtime (a worker-thread execution environment, as `npm start` runs them) and the
 * handler measures when it runs; without, the mapping's invoke callback measures.
 */
async function latency(bootstrap: string, count: number, runtime?: LambdaRuntime) {
  const topic = runtime ? 'bench-latency-fn' : 'bench-latency';
  const kafka = kafkaClient(bootstrap, 'bench-latency');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const samples: number[] = [];
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((r) => (resolveAll = r));
  const esm = await startKafkaEventSourceMapping({
    bootstrap,
    topics: [topic],
    groupId: runtime ? 'bench-latency-lambda' : 'bench-latency-fn',
    batchSize: 100,
    maximumBatchingWindowMs: 0,
    startingPosition: 'LATEST',
    eventSourceArn: 'arn:aws:kafka:local:000000000000:cluster/bench/1',
    invoke: async (event) => {
      if (runtime) {
        const result = await runtime.invoke('bench-latency-consumer', event);
        if (result.status !== 'ok') throw new Error(`${result.status}: ${'errorMessage' in result ? result.errorMessage : ''}`);
        samples.push(...(result.payload as number[]));
      } else {
        const now = performance.timeOrigin + performance.now();
        for (const r of event.records[`${topic}-0`]) samples.push(now - Number(Buffer.from(r.value!, 'base64').toString()));
      }
      if (samples.length >= count) resolveAll();
    },
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < count; i++) {
    await producer.send({ topic, acks: -1, messages: [{ value: String(performance.timeOrigin + performance.now()) }] });
    await new Promise((r) => setTimeout(r, 2)); // a trickle, not a flood
  }
  await all;
  await producer.disconnect();
  await esm.stop();
  samples.sort((a, b) => a - b);
  return { messages: samples.length, p50Ms: round(percentile(samples, 50), 2), p95Ms: round(percentile(samples, 95), 2), p99Ms: round(percentile(samples, 99), 2), maxMs: round(samples[samples.length - 1], 2) };
}

async function suite(start: (dir: string) => Promise<BrokerHandle>, quick: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-bench-'));
  const broker = await start(dataDir);
  try {
    const n100 = quick ? 50_000 : 300_000;
    const n1k = quick ? 20_000 : 100_000;
    const out: Record<string, unknown> = {};
    out.produce100B = await produceThroughput(broker.bootstrap, 'b100', n100, 100);
    out.consume100B = await consumeThroughput(broker.bootstrap, 'b100', n100, 100);
    out.produce1KiB = await produceThroughput(broker.bootstrap, 'b1k', n1k, 1024);
    out.consume1KiB = await consumeThroughput(broker.bootstrap, 'b1k', n1k, 1024);
    out.produce1KiBGzip = await produceThroughput(broker.bootstrap, 'b1kgz', quick ? 10_000 : 50_000, 1024, CompressionTypes.GZIP);
    out.publishToHandler = await latency(broker.bootstrap, quick ? 300 : 2000);
    const runtime = new LambdaRuntime();
    runtime.register({
      name: 'bench-latency-consumer',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-latency-consumer',
      codeDir: path.join(__dirname, 'fixtures'),
      handler: 'latency-handler.handler',
      environment: {},
      timeoutSeconds: 10,
      memoryMb: 256,
    });
    try {
      out.publishToLambdaHandler = await latency(broker.bootstrap, quick ? 300 : 2000, runtime);
    } finally {
      await runtime.close();
    }
    out.rawProduce100B = await rawProduce(broker.bootstrap, quick ? 200 : 2000);
    return out;
  } finally {
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * What checking a produced batch costs (µs per batch of 1,000 x 100 B records, encoded by
 * kafkajs): its CRC-32C alone (all the broker checked before the hostile-input work), the walk
 * over its records that refuses lying lengths and counts, and the whole validation.
 */
async function validationCost(rounds: number) {
  const kafkaRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown; // eslint-disable-line @typescript-eslint/no-require-imports
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> }; // eslint-disable-line @typescript-eslint/no-require-imports
  const records = Array.from({ length: 1000 }, (_, i) => kafkaRecord({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.alloc(100, 97) }));
  const batch = (await RecordBatch({ records, lastOffsetDelta: 999, firstTimestamp: Date.now(), maxTimestamp: Date.now() })).buffer;
  const usPerBatch = (fn: () => void) => {
    for (let i = 0; i < 50; i++) fn();
    const t = performance.now();
    for (let i = 0; i < rounds; i++) fn();
    return Math.round(((performance.now() - t) * 1000) / rounds);
  };
  return {
    batchBytes: batch.length,
    crc32cUs: usPerBatch(() => crc32c(batch, 21, batch.length)),
    recordWalkUs: usPerBatch(() => walkRecords(batch, BATCH_HEADER_SIZE, batch.length, 1000)),
    wholeValidationUs: usPerBatch(() => splitAndValidateBatches(batch, { maxBatchBytes: 1 << 20 })),
  };
}

export default async function run(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const validation = await validationCost(opts.quick ? 200 : 2000);
  const separateProcess = await suite(brokerInChild, opts.quick);
  const inProcess = opts.quick ? undefined : await suite(brokerInProcess, opts.quick);
  return {
    targets: { msgPerSec100B: 50_000, p95PublishToHandlerMs: 50 },
    produceValidationPerBatchOf1000x100B: validation,
    brokerInSeparateProcess: separateProcess,
    ...(inProcess ? { brokerInSameProcessAsClients: inProcess } : {}),
  };
}

// Re-executed as the benchmark's broker process.
if (process.env.KAFKA_BENCH_BROKER_DIR) {
  void createKafkaBroker({ port: 0, dataDir: process.env.KAFKA_BENCH_BROKER_DIR }).then((b) => {
    process.stdout.write(`PORT ${b.port}\n`);
    process.stdin.resume();
    process.stdin.on('end', () => void b.close().then(() => process.exit(0)));
  });
}
