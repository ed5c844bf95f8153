/**
 * Local EventBridge benchmark.
 * 1. PutEvents through the API, 10 entries a request, against 100 rules of the usual shapes (exact
 *    source and detail-type, prefix, numeric ranges, anything-but, exists, wildcard, equals-ignore-case,
 *    cidr, $or), each with a Lambda target (an injected no-op): entries accepted per second and how many
 *    deliveries they made,
 *    a) with @aws-sdk/client-eventbridge (signing, serialization: the path a service takes), 8 in flight;
 *    b) with autocannon (a prepared request, 32 connections: the emulator's own capacity).
 * 2. Pattern matching in process: the same 100 compiled patterns against a set of events, as
 *    (event, pattern) matches per second, and events per second through all 100 (flattening
 *    included), tried one by one and through the pattern index the buses use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { startEventBridgeServer } from '../local/eventbridge';
import { compileEventPattern, flattenEvent, matchesFlattened, PatternIndex } from '../local/eventbridge/pattern';

interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, r: AutocannonResult) => void) => unknown;
// autocannon ships no type declarations; this is the part of its programmatic API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = ['ecommerce.orders', 'ecommerce.payments', 'ecommerce.inventory', 'ecommerce.catalog', 'ecommerce.notifications'];
const TYPES = ['OrderPlaced', 'OrderConfirmed', 'OrderCancelled', 'PaymentCaptured', 'PaymentRefunded', 'StockReserved', 'StockReleased', 'ProductUpdated'];
const STATES = ['PENDING', 'CONFIRMED', 'CANCELLED', 'REFUNDED', 'FAILED'];

/** 100 patterns cycling through the operators, over the fields of the generated events. */
export function patterns(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 100; i++) {
    const source = SOURCES[i % SOURCES.length];
    const type = TYPES[i % TYPES.length];
    const n = String(i).padStart(2, '0');
    const shapes: Array<Record<string, unknown>> = [
      { source: [source], 'detail-type': [type], detail: { region: [`r${n}`] } },
      { source: [{ prefix: 'ecommerce.' }], detail: { status: [STATES[i % STATES.length]], region: [`r${n}`] } },
      { source: [source], detail: { total: [{ numeric: ['>=', (i % 10) * 10_000, '<', (i % 10) * 10_000 + 500] }] } },
      { 'detail-type': [{ 'anything-but': [type, 'Heartbeat'] }], detail: { currency: ['USD'], region: [`r${n}`] } },
      { source: [source], 'detail-type': [type], detail: { coupon: [{ exists: i % 2 === 0 }], region: [`r${n}`] } },
      { detail: { customer: { email: [{ wildcard: `user${i}*@example${i % 7}.com` }] } } },
      { 'detail-type': [{ 'equals-ignore-case': type.toLowerCase() }], detail: { region: [`r${n}`] } },
      { detail: { clientIp: [{ cidr: `10.${i % 256}.${i % 128}.0/24` }] } },
      { $or: [{ detail: { status: ['FAILED'], region: [`r${n}`] } }, { detail: { total: [{ numeric: ['>', 99_500 + i] }] } }], source: [source] },
      { detail: { items: { sku: [{ prefix: `SKU-${i}` }], qty: [3] }, region: [`r${n}`] } },
    ];
    out.push(JSON.stringify(shapes[i % shapes.length]));
  }
  return out;
}

export function events(n: number, seed = 7): Array<{ source: string; type: string; detail: Record<string, unknown> }> {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  return Array.from({ length: n }, (_, i) => ({
    source: pick(SOURCES),
    type: pick(TYPES),
    detail: {
      orderId: `o-${i}`,
      region: `r${String(Math.floor(r() * 100)).padStart(2, '0')}`,
      status: pick(STATES),
      total: Math.floor(r() * 100_000),
      currency: r() < 0.8 ? 'USD' : 'EUR',
      ...(r() < 0.3 ? { coupon: 'SPRING10' } : {}),
      customer: { id: `c-${Math.floor(r() * 1000)}`, email: `user${i}@example${Math.floor(r() * 10)}.com` },
      clientIp: `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
      items: Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({ sku: `SKU-${Math.floor(r() * 100)}`, qty: 1 + Math.floor(r() * 3) })),
    },
  }));
}

const round = (x: number) => Math.round(x);

export default async function (opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const seconds = opts.quick ? 3 : 10;
  const results: Record<string, unknown> = { rules: 100, entriesPerRequest: 10, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 10) / 10) };
  const pats = patterns();
  const evs = events(1000);

  // 2. in-process matching first (no server running)
  {
    const compiled = pats.map(compileEventPattern);
    const full = evs.map((e, i) => ({
      version: '0',
      id: `id-${i}`,
      'detail-type': e.type,
      source: e.source,
      account: '123456789012',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: e.detail,
    }));
    const flats = full.map(flattenEvent);
    let matched = 0;
    for (let w = 0; w < 3; w++) for (const f of flats) for (const p of compiled) if (matchesFlattened(p, f)) matched++;
    const rounds = opts.quick ? 5 : 30;
    matched = 0;
    let t = process.hrtime.bigint();
    for (let k = 0; k < rounds; k++) for (const f of flats) for (const p of compiled) if (matchesFlattened(p, f)) matched++;
    const matchSecs = Number(process.hrtime.bigint() - t) / 1e9;
    t = process.hrtime.bigint();
    for (let k = 0; k < rounds; k++) for (const e of full) {
      const f = flattenEvent(e);
      for (const p of compiled) matchesFlattened(p, f);
    }
    const eventSecs = Number(process.hrtime.bigint() - t) / 1e9;
    // as the bus routes: the index picks the candidate rules, which are matched in full
    const index = new PatternIndex(compiled.map((p, i) => [i, p] as [number, (typeof compiled)[number]]));
    let candidates = 0;
    t = process.hrtime.bigint();
    for (let k = 0; k < rounds; k++) for (const e of full) {
      const f = flattenEvent(e);
      const c = index.candidates(f);
      candidates += c.size;
      for (const i of c) matchesFlattened(compiled[i], f);
    }
    const indexedSecs = Number(process.hrtime.bigint() - t) / 1e9;
    results.inProcess = {
      patternMatchesPerSecond: round((rounds * flats.length * compiled.length) / matchSecs),
      eventsPerSecondThrough100Patterns: round((rounds * full.length) / eventSecs),
      eventsPerSecondThrough100PatternsIndexed: round((rounds * full.length) / indexedSecs),
      candidatePatternsPerEvent: Math.round((candidates / (rounds * full.length)) * 10) / 10,
      matchRate: Math.round((matched / (rounds * flats.length * compiled.length)) * 1000) / 1000,
    };
  }

  // 1. through the API
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eb-bench-'));
  let delivered = 0;
  const server = await startEventBridgeServer({
    port: 0,
    dataDir,
    region: 'us-east-1',
    accountId: '123456789012',
    invokeLambda: async () => {
      delivered++;
    },
  });
  const client = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  try {
    for (let i = 0; i < pats.length; i++) {
      await client.send(new PutRuleCommand({ Name: `rule-${i}`, EventPattern: pats[i] }));
      await client.send(new PutTargetsCommand({ Rule: `rule-${i}`, Targets: [{ Id: 't', Arn: `arn:aws:lambda:us-east-1:123456789012:function:fn-${i}` }] }));
    }
    const batches: Array<Array<{ Source: string; DetailType: string; Detail: string }>> = [];
    for (let i = 0; i < evs.length; i += 10) batches.push(evs.slice(i, i + 10).map((e) => ({ Source: e.source, DetailType: e.type, Detail: JSON.stringify(e.detail) })));

    // a) the SDK, 8 requests in flight
    for (const b of batches.slice(0, 20)) await client.send(new PutEventsCommand({ Entries: b })); // warm-up
    await server.eventBridge.idle();
    delivered = 0;
    let entries = 0;
    let failed = 0;
    const deadline = Date.now() + seconds * 1000;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let k = w; Date.now() < deadline; k += 8) {
          const out = await client.send(new PutEventsCommand({ Entries: batches[k % batches.length] }));
          entries += out.Entries?.length ?? 0;
          failed += out.FailedEntryCount ?? 0;
        }
      }),
    );
    await server.eventBridge.idle();
    const sdkSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    results.apiWithSdk = {
      inFlight: 8,
      seconds: Math.round(sdkSecs * 10) / 10,
      entriesPerSecond: round(entries / sdkSecs),
      deliveriesPerSecond: round(delivered / sdkSecs),
      deliveriesPerEntry: Math.round((delivered / entries) * 100) / 100,
      failedEntries: failed,
    };

    // b) autocannon with one prepared request
    delivered = 0;
    const body = JSON.stringify({ Entries: batches[0] });
    const r = await new Promise<AutocannonResult>((resolve, reject) => {
      autocannon(
        {
          url: server.url,
          connections: 32,
          duration: seconds,
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
          body,
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
    await server.eventBridge.idle();
    results.apiRawHttp = {
      connections: 32,
      requestsPerSecond: round(r.requests.total / seconds),
      entriesPerSecond: round((r.requests.total * 10) / seconds),
      deliveriesPerSecond: round(delivered / seconds),
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
    };
    results.rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  } finally {
    client.destroy();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
