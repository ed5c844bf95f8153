/**
 * The event pipeline the services' events travel: outbox (written in the command's transaction)
 * -> the outbox table's DynamoDB stream -> the outbox publisher (a Lambda function fed by the
 * stream's event source mapping) -> Kafka -> a consumer (the Catalog's projection, which indexes
 * the product in OpenSearch).
 *
 * A burst of catalog creates goes through the API at 16 clients (the API "accepts" each with its
 * 201 once product and outbox item are written); then the bench waits until every one of them is
 * on the Kafka topic (the publisher's share) and in the search index (the whole pipeline).
 * Figures: accept time, drain time after the last accept (to Kafka, to the index), events/s end to
 * end, and the publisher's batch sizes (from its invocation metrics, `OutboxEventsPublished`, in
 * its function log). Target: a burst drains within the time the API took to accept it.
 */
import { Kafka, logLevel } from 'kafkajs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud } from '../local/cloud';
import { readConfig } from '../local/config';
import { platformApp } from '../local/platform';
import type { BenchOptions } from './run';

interface Api {
  url: string;
  key: string;
}

async function call(api: Api, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${api.url}${p}`, {
    method,
    headers: { 'x-api-key': api.key, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Documents in the search index whose name holds `word` (straight from OpenSearch: no cache in between). */
async function indexed(opensearch: string, word: string): Promise<number> {
  const res = await fetch(`${opensearch}/products/_count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: { match: { name: word } } }),
  });
  if (!res.ok) return 0;
  return ((await res.json()) as { count: number }).count;
}

/** Batch sizes of the publisher's invocations since `fromLine`, from the EMF metric lines of its log. */
function publisherBatches(logFile: string, fromLine: number): { lines: number; batches: number[] } {
  const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  const batches: number[] = [];
  for (const line of lines.slice(fromLine)) {
    const m = /"OutboxEventsPublished":\s*(\d+)/.exec(line);
    if (m) batches.push(Number(m[1]));
  }
  return { lines: lines.length, batches };
}

function summary(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : null);
  return { n: s.length, mean: s.length ? Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10 : null, p50: at(50), p95: at(95), max: at(100) };
}

async function topicSize(admin: ReturnType<Kafka['admin']>, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
}

export default async function pipelineBench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-bench-'));
  const cloud = await startLocalCloud(readConfig(['--fresh', '--no-seed', '--ephemeral-ports', '--quiet', '--data-dir', dataDir]), { app: platformApp });
  const kafka = new Kafka({ clientId: 'pipeline-bench', brokers: [cloud.endpoints.services.kafka!], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let keep = process.env.BENCH_KEEP_DATA === '1';
  try {
    const e = cloud.endpoints;
    const api: Api = { url: e.api_url, key: e.api_keys.internal ?? e.api_key };
    const opensearch = e.services.opensearch!;
    const publisher = e.functions.find((f) => /OutboxPublisher/i.test(f));
    if (!publisher) throw new Error(`no outbox publisher among ${e.functions.join(', ')}`);
    const publisherLog = path.join(dataDir, 'logs', `${publisher}.log`);
    await admin.connect();

    const run = async (label: string, n: number, clients: number) => {
      const word = `pipe${label}${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 6)}`;
      const onTopicBefore = await topicSize(admin, 'catalog-events');
      const logFrom = publisherBatches(publisherLog, 0).lines - 1;
      const t0 = performance.now();
      let next = 0;
      let lastAccept = 0;
      let retries = 0;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < n) {
            const i = next++;
            const product = { product_id: `${word.toUpperCase()}-${i}`, name: `${word} item ${i}`, price: 9.99, category: 'Bench', stock: 5 };
            let res = await call(api, 'POST', '/api/catalog', product);
            // a 5xx (a cold start past its init limit on a busy machine) is retried; a 409 then means the first one was written
            for (let retry = 0; res.status >= 500 && retry < 8; retry++) {
              retries++;
              await new Promise((r) => setTimeout(r, 250 * (retry + 1)));
              res = await call(api, 'POST', '/api/catalog', product);
            }
            if (res.status !== 201 && res.status !== 409) throw new Error(`create ${i}: ${res.status} ${JSON.stringify(res.body)}`);
            lastAccept = performance.now();
          }
        }),
      );
      const acceptMs = lastAccept - t0;
      // Each create announces one catalog event; inventory's consumer of it writes no catalog event back.
      const onKafka = until('events on Kafka', async () => ((await topicSize(admin, 'catalog-events')) - onTopicBefore >= n ? performance.now() : undefined), 300_000, 10);
      const inIndex = until('products in the index', async () => ((await indexed(opensearch, word)) >= n ? performance.now() : undefined), 300_000, 25);
      const [kafkaAt, indexAt] = await Promise.all([onKafka, inIndex]);
      const batches = publisherBatches(publisherLog, logFrom).batches;
      return {
        creates: n,
        clients,
        acceptMs: Math.round(acceptMs),
        createRetriesAfter5xx: retries,
        acceptedPerSecond: Math.round((n / acceptMs) * 1000 * 10) / 10,
        drainToKafkaAfterLastAcceptMs: Math.round(Math.max(0, kafkaAt - lastAccept)),
        drainToIndexAfterLastAcceptMs: Math.round(Math.max(0, indexAt - lastAccept)),
        firstToLastIndexedMs: Math.round(indexAt - t0),
        eventsPerSecondEndToEnd: Math.round((n / (indexAt - t0)) * 1000 * 10) / 10,
        drainWithinAcceptTime: indexAt - lastAccept <= acceptMs,
        publisherBatchSizes: summary(batches),
        loadAverage1mAfter: Math.round(os.loadavg()[0]! * 10) / 10,
      };
    };

    // warm-up: every function of the path has an execution environment, the consumer group has joined
    // (ramped: ten cold starts at once on a busy 2-core machine run past the 10 s init limit)
    await run('warma', 5, 1);
    await run('warmb', opts.quick ? 20 : 50, 4);
    const burst = await run('burst', opts.quick ? 200 : 600, 16);
    return { pipeline: 'POST /api/catalog -> outbox -> stream -> publisher -> Kafka catalog-events -> projection -> OpenSearch', burst };
  } catch (err) {
    keep = true; // its logs tell why
    throw err;
  } finally {
    await admin.disconnect().catch(() => undefined);
    await cloud.stop();
    if (keep) process.stderr.write(`data folder kept: ${dataDir}\n`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
