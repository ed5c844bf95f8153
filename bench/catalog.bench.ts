/**
 * The Catalog's read path through the local cloud (API Gateway -> query function -> Redis /
 * OpenSearch / DynamoDB), on a fresh cloud loaded with the sample catalog through the API.
 *
 * Figures:
 * - GET /api/catalog/{id} latency with a warm cache (p50/p95/p99, sequential requests);
 * - the cache hit ratio under a Zipf(s = 1.0) read workload over the sample catalog, with one
 *   product updated (PUT) every N reads, which invalidates that product's entry once the
 *   projection has the change (the original platform claimed an 80% hit ratio);
 * - the same read path's latency split by hit and miss, search latency, and the time from a
 *   create until search finds the product.
 * Hits are counted from the `x-cache` header the API answers with.
 */
import { Redis } from 'ioredis';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud } from '../local/cloud';
import { readConfig } from '../local/config';
import { platformApp } from '../local/platform';
import { SAMPLE_PRODUCTS } from '../local/platform/sample-products';
import type { BenchOptions } from './run';

interface Api {
  url: string;
  key: string;
}

async function call(api: Api, method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${p}`, {
    method,
    headers: { 'x-api-key': api.key, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100 : null);
  return { n: s.length, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs: at(100) };
}

/** Zipf(s) over ranks 1..n by inverse CDF; rank 1 is the most read product. */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cdf: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k++) cdf.push((sum += 1 / k ** s));
  return () => {
    const u = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function load(api: Api, concurrency: number): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < SAMPLE_PRODUCTS.length) {
        const p = SAMPLE_PRODUCTS[next++]!;
        const res = await call(api, 'POST', '/api/catalog', p);
        if (res.status !== 201 && res.status !== 409) {
          throw new Error(`loading ${p.product_id}: ${res.status} ${JSON.stringify(res.body)} (does the local cloud deploy the Catalog service?)`);
        }
      }
    }),
  );
  // loaded once the index holds them all
  await until(async () => ((await call(api, 'GET', '/api/catalog?limit=1')).body.total >= SAMPLE_PRODUCTS.length ? true : undefined), 120_000);
  return Date.now() - started;
}

export default async function catalogBench(opts: BenchOptions): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-'));
  const cloud = await startLocalCloud(readConfig(['--fresh', '--no-seed', '--ephemeral-ports', '--quiet', '--data-dir', dataDir]), { app: platformApp });
  try {
    const e = cloud.endpoints;
    const api: Api = { url: e.api_url, key: e.api_keys.internal ?? e.api_key };
    const ids = SAMPLE_PRODUCTS.map((p) => p.product_id);
    const loadMs = await load(api, 8);

    // 1. warm-cache latency: every product read once, then sequential reads of cached products
    for (const id of ids) await call(api, 'GET', `/api/catalog/${id}`);
    const rand = prng(7);
    const warm: number[] = [];
    let warmHits = 0;
    for (let i = 0; i < (opts.quick ? 300 : 3000); i++) {
      const id = ids[Math.floor(rand() * ids.length)]!;
      const t = performance.now();
      const res = await call(api, 'GET', `/api/catalog/${id}`);
      warm.push(performance.now() - t);
      if (res.headers.get('x-cache') === 'hit') warmHits++;
    }

    // 2. Zipf reads with an update every N reads, from an empty cache: the ratio includes the
    //    first (compulsory) miss of every product read, and one miss after each update.
    const redis = new Redis(e.services.redis!, { maxRetriesPerRequest: 1 });
    await redis.flushall();
    redis.disconnect();
    const reads = opts.quick ? 1500 : 15000;
    const updateEvery = 50;
    const order = [...ids].sort(() => rand() - 0.5); // which product is rank 1, 2, ...
    const nextRank = zipf(order.length, 1.0, rand);
    const versions = new Map<string, number>();
    const hitTimes: number[] = [];
    const missTimes: number[] = [];
    let hits = 0;
    let updates = 0;
    const window: boolean[] = [];
    for (let i = 1; i <= reads; i++) {
      const id = order[nextRank()]!;
      const t = performance.now();
      const res = await call(api, 'GET', `/api/catalog/${id}`);
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`GET ${id}: ${res.status}`);
      versions.set(id, res.body.version);
      const hit = res.headers.get('x-cache') === 'hit';
      (hit ? hitTimes : missTimes).push(ms);
      if (hit) hits++;
      window.push(hit);
      if (i % updateEvery === 0) {
        const target = order[nextRank()]!;
        const version = versions.get(target) ?? (await call(api, 'GET', `/api/catalog/${target}`)).body.version;
        const put = await call(api, 'PUT', `/api/catalog/${target}`, { price: Math.round(1000 + rand() * 50000) / 100 }, { 'if-match': `"${version}"` });
        if (put.status === 200) {
          versions.set(target, put.body.version);
          updates++;
        }
      }
    }

    // 3. search latency and time until a new product is searchable
    //    (a new page size is a new cache key, so those calls reach OpenSearch; repeats hit the cache)
    const searchMisses: number[] = [];
    const searchHits: number[] = [];
    const rounds = opts.quick ? 5 : 30;
    for (const q of ['headphones', 'headphnes', 'wireless speaker', 'organic coffee', 'yoga mat', 'chef knife', 'notebook', 'dog bed']) {
      for (let i = 0; i <= rounds * 2; i++) {
        const t = performance.now();
        const res = await call(api, 'GET', `/api/catalog/search/${encodeURIComponent(q)}?limit=${Math.min(10 + i, 10 + rounds)}`);
        if (res.status !== 200) throw new Error(`search ${q}: ${res.status}`);
        if (i < rounds) searchMisses.push(performance.now() - t);
        else if (i > rounds) searchHits.push(performance.now() - t); // i === rounds fills the cache
      }
    }
    const searchable: number[] = [];
    for (let i = 0; i < (opts.quick ? 5 : 20); i++) {
      const word = `benchword${i}x${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 5)}`;
      const id = `BENCH-${i}-${Date.now().toString(36)}`;
      const t = performance.now();
      await call(api, 'POST', '/api/catalog', { product_id: id, name: `${word} gadget`, price: 9.99, category: 'Bench', stock: 1 });
      await until(async () => ((await call(api, 'GET', `/api/catalog/search/${word}`)).body.items.length ? true : undefined), 30_000);
      searchable.push(performance.now() - t);
    }

    const lastHalf = window.slice(Math.floor(window.length / 2));
    return {
      catalog: { products: ids.length, categories: new Set(SAMPLE_PRODUCTS.map((p) => p.category)).size, loadThroughApiMs: loadMs },
      getWarmCache: { ...percentiles(warm), hitRatio: Math.round((warmHits / warm.length) * 1000) / 1000 },
      zipf: {
        s: 1.0,
        reads,
        updateEveryReads: updateEvery,
        updates,
        hitRatio: Math.round((hits / reads) * 1000) / 1000,
        hitRatioSecondHalf: Math.round((lastHalf.filter(Boolean).length / lastHalf.length) * 1000) / 1000,
        note: 'from an empty cache; each update invalidates that product (its next read misses) and retires every cached query',
        hitLatency: percentiles(hitTimes),
        missLatency: percentiles(missTimes),
      },
      searchThroughOpenSearch: percentiles(searchMisses),
      searchFromCache: percentiles(searchHits),
      createToSearchable: percentiles(searchable),
    };
  } finally {
    await cloud.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
