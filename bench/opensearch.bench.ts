/**
 * Local OpenSearch benchmark.
 * 1. Bulk indexing throughput: N realistic generated products (100,000; quick: 5,000) in bulk requests of 1,000
 *    through @opensearch-project/opensearch.
 * 2. Search latency p50/p95 over a mixed query set (fuzzy multi_match, filters + sort, aggregations, term lookups,
 *    search_after pages): measured in-process at the engine (request parsing + execution, no HTTP/JSON) and as
 *    HTTP round trips through the client.
 * 3. Engine choice: the same query set on the same documents with the text backend MiniSearch-underneath
 *    ('minisearch') vs native postings + Lucene BM25 ('native', with MiniSearch's radix tree as term dictionary):
 *    build time, heap, p50/p95 and top-10 overlap between the two rankings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { createOpenSearchServer } from '../local/opensearch';
import { Cluster } from '../local/opensearch/cluster';
import { executeSearch } from '../local/opensearch/search/search-service';
import { parseSearchRequest } from '../local/opensearch/search/search-request';

// ---- data generation (deterministic) -----------------------------------------------------------------------

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

const NOUNS = 'headphones speaker keyboard mouse monitor laptop tablet phone charger cable camera lens tripod backpack jacket sneakers boots watch lamp chair desk blender kettle toaster grinder mug bottle tent sleeping-bag bicycle helmet drone router printer scanner microphone projector vacuum heater fan mattress pillow blanket towel skillet knife'.split(' ');
const ADJ = 'wireless portable compact ergonomic waterproof lightweight premium classic smart digital ultra slim rugged foldable rechargeable bluetooth noise-cancelling stainless organic vintage modern professional gaming outdoor travel heavy-duty quiet fast silent'.split(' ');
const WORDS = 'quality design battery life sound comfort durable easy setup perfect gift daily use home office travel fit color material warranty fast shipping bright display crisp clear bass power efficient energy saving soft touch grip premium finish strong build reliable performance great value everyday carry light weight adjustable angle cable free pairing long range high resolution sharp image deep fresh easy clean dishwasher safe recycled eco friendly family kids friendly water resistant dust proof'.split(' ');
const CATEGORIES = 'audio computers phones cameras wearables home kitchen outdoor sports fashion shoes furniture bedding tools garden toys books beauty health automotive'.split(' ');
const TAGS = Array.from({ length: 60 }, (_, i) => `tag${i}`);

export interface Product {
  sku: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  tags: string[];
  price: number;
  stock: number;
  created_at: string;
  popularity: number;
}

function pick<T>(r: () => number, a: T[]): T {
  return a[Math.floor(r() * a.length)];
}

export function generateProducts(n: number, seed = 42): Product[] {
  const r = rng(seed);
  const brands = Array.from({ length: 200 }, (_, i) => `Brand${i.toString(36)}${pick(r, ['tech', 'works', 'labs', 'co', 'home', 'pro'])}`);
  const out: Product[] = [];
  const t0 = Date.parse('2022-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const noun = pick(r, NOUNS);
    const brand = pick(r, brands);
    const words = Array.from({ length: 15 + Math.floor(r() * 25) }, () => pick(r, WORDS));
    words.splice(Math.floor(r() * words.length), 0, noun, pick(r, ADJ));
    out.push({
      sku: `SKU-${i.toString().padStart(7, '0')}`,
      name: `${brand} ${pick(r, ADJ)} ${pick(r, ADJ)} ${noun} ${Math.floor(r() * 900 + 100)}`,
      description: words.join(' '),
      brand,
      category: pick(r, CATEGORIES),
      tags: Array.from(new Set(Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, TAGS)))),
      price: Math.round((1 + r() * 1999) * 100) / 100,
      stock: Math.floor(r() * 500),
      created_at: new Date(t0 + Math.floor(r() * 3 * 365 * 86_400_000)).toISOString(),
      popularity: Math.floor(r() * 1000),
    });
  }
  return out;
}

const MAPPINGS = {
  properties: {
    sku: { type: 'keyword' },
    name: { type: 'text', fields: { keyword: { type: 'keyword' } } },
    description: { type: 'text' },
    brand: { type: 'keyword' },
    category: { type: 'keyword' },
    tags: { type: 'keyword' },
    price: { type: 'double' },
    stock: { type: 'integer' },
    created_at: { type: 'date' },
    popularity: { type: 'integer' },
  },
};

// ---- query set ---------------------------------------------------------------------------------------------

function typo(r: () => number, w: string): string {
  if (w.length < 4) return w;
  const i = 1 + Math.floor(r() * (w.length - 2));
  return w.slice(0, i) + w.slice(i + 1); // drop one letter: "headphnes"
}

interface NamedQuery {
  kind: string;
  body: Record<string, unknown>;
}

export function querySet(n: number, docs: Product[], seed = 7): NamedQuery[] {
  const r = rng(seed);
  const out: NamedQuery[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 5;
    if (k === 0) {
      const q = `${pick(r, ADJ)} ${typo(r, pick(r, NOUNS))}`;
      out.push({ kind: 'multi_match_fuzzy', body: { query: { multi_match: { query: q, fields: ['name^3', 'description', 'tags'], fuzziness: 'AUTO' } }, size: 10 } });
    } else if (k === 1) {
      const lo = Math.floor(r() * 1500);
      out.push({
        kind: 'filters_sort',
        body: {
          query: { bool: { filter: [{ term: { category: pick(r, CATEGORIES) } }, { range: { price: { gte: lo, lte: lo + 300 } } }, { range: { stock: { gt: 0 } } }] } },
          sort: [{ popularity: 'desc' }, { sku: 'asc' }],
          size: 20,
        },
      });
    } else if (k === 2) {
      out.push({
        kind: 'aggregations',
        body: {
          query: { match: { description: pick(r, WORDS) } },
          size: 10,
          aggs: {
            categories: { terms: { field: 'category', size: 10 }, aggs: { avg_price: { avg: { field: 'price' } } } },
            brands: { terms: { field: 'brand', size: 10 } },
            prices: { range: { field: 'price', ranges: [{ to: 50 }, { from: 50, to: 200 }, { from: 200, to: 1000 }, { from: 1000 }] } },
            stock: { stats: { field: 'stock' } },
          },
        },
      });
    } else if (k === 3) {
      const d = pick(r, docs);
      out.push({ kind: 'term_lookup', body: r() < 0.5 ? { query: { term: { sku: d.sku } } } : { query: { bool: { filter: [{ term: { brand: d.brand } }, { term: { tags: d.tags[0] } }] } }, size: 10 } });
    } else {
      out.push({ kind: 'search_after_page', body: { query: { match: { name: pick(r, NOUNS) } }, sort: [{ price: 'asc' }, { sku: 'asc' }], size: 20 } });
    }
  }
  return out;
}

// ---- measurement helpers -----------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(ms: number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: r3(percentile(s, 50)), p95: r3(percentile(s, 95)), p99: r3(percentile(s, 99)), max: r3(s[s.length - 1]), mean: r3(s.reduce((a, b) => a + b, 0) / s.length) };
}

function timeEngine(cluster: Cluster, q: NamedQuery, after?: unknown[]): { ms: number; body: Record<string, unknown> } {
  const body = after ? { ...q.body, search_after: after } : q.body;
  const raw = JSON.stringify(body);
  const t = process.hrtime.bigint();
  const req = parseSearchRequest(JSON.parse(raw), raw, {});
  const res = executeSearch(cluster.resolve('products'), req);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, body: res };
}

/** Runs the query set in-process; search_after queries fetch 3 consecutive pages (each page timed). */
function runEngine(cluster: Cluster, qs: NamedQuery[]): { all: number[]; byKind: Record<string, number[]>; top: string[][] } {
  const all: number[] = [];
  const byKind: Record<string, number[]> = {};
  const top: string[][] = [];
  for (const q of qs) {
    let after: unknown[] | undefined;
    const pages = q.kind === 'search_after_page' ? 3 : 1;
    for (let p = 0; p < pages; p++) {
      const { ms, body } = timeEngine(cluster, q, after);
      all.push(ms);
      (byKind[q.kind] ??= []).push(ms);
      const hits = (body.hits as { hits: { _id: string; sort?: unknown[] }[] }).hits;
      if (p === 0) top.push(hits.map((x) => x._id));
      after = hits[hits.length - 1]?.sort;
      if (!after) break;
    }
  }
  return { all, byKind, top };
}

function buildInProcess(dir: string, backend: 'native' | 'minisearch', docs: Product[]): { cluster: Cluster; buildMs: number; heapMB: number } {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const cluster = new Cluster({ dataDir: dir, log: () => undefined, maxResultWindow: 10000, textBackend: backend });
  const t = process.hrtime.bigint();
  const e = cluster.createIndex('products', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: MAPPINGS });
  for (let i = 0; i < docs.length; i++) {
    e.index(docs[i].sku, docs[i] as unknown as Record<string, unknown>);
    if (i % 1000 === 999) e.flush();
  }
  e.flush();
  e.refresh();
  const buildMs = Number(process.hrtime.bigint() - t) / 1e6;
  global.gc?.();
  return { cluster, buildMs: Math.round(buildMs), heapMB: Math.round((process.memoryUsage().heapUsed - heap0) / 2 ** 20) };
}

function overlap(a: string[][], b: string[][]): number {
  let inter = 0;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const sb = new Set(b[i]);
    inter += a[i].filter((x) => sb.has(x)).length;
    total += Math.max(a[i].length, b[i].length);
  }
  return total ? Math.round((inter / total) * 1000) / 1000 : 1;
}

function kindSummary(byKind: Record<string, number[]>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, summary(v)]));
}

// ---- main --------------------------------------------------------------------------------------------------

export default async function (opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const N = opts.quick ? 5_000 : 100_000;
  const Q = opts.quick ? 100 : 500;
  const docs = generateProducts(N);
  const qs = querySet(Q, docs);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'os-bench-'));
  // Other processes share this 2-core machine: the load average is recorded so noisy runs can be told apart.
  const results: Record<string, unknown> = { documents: N, queries: Q, bulkSize: 1000, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 10) / 10) };
  try {
    // 1. Bulk indexing through the client over HTTP.
    const server = await createOpenSearchServer({ port: 0, dataDir: path.join(root, 'http') });
    const client = new Client({ node: server.url });
    try {
      await client.indices.create({ index: 'products', body: { settings: { number_of_replicas: 0 }, mappings: MAPPINGS as never } });
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < N; i += 1000) {
        const body = docs.slice(i, i + 1000).flatMap((d) => [{ index: { _index: 'products', _id: d.sku } }, d]);
        const r = await client.bulk({ body });
        if (r.body.errors) throw new Error('bulk errors');
      }
      await client.indices.refresh({ index: 'products' });
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      results.bulkIndexing = { seconds: Math.round(secs * 100) / 100, docsPerSecond: Math.round(N / secs) };

      // 2b. HTTP round trips through the client (same query set, search_after pages chained).
      const httpAll: number[] = [];
      const httpKind: Record<string, number[]> = {};
      for (const q of qs.slice(0, 20)) await client.search({ index: 'products', body: q.body }); // warm-up
      for (const q of qs) {
        let after: unknown[] | undefined;
        const pages = q.kind === 'search_after_page' ? 3 : 1;
        for (let p = 0; p < pages; p++) {
          const t = process.hrtime.bigint();
          const r = await client.search({ index: 'products', body: after ? { ...q.body, search_after: after } : q.body });
          const ms = Number(process.hrtime.bigint() - t) / 1e6;
          httpAll.push(ms);
          (httpKind[q.kind] ??= []).push(ms);
          const hits = r.body.hits.hits as { sort?: unknown[] }[];
          after = hits[hits.length - 1]?.sort;
          if (!after) break;
        }
      }
      results.searchHttp = { all: summary(httpAll), byKind: kindSummary(httpKind) };
    } finally {
      await client.close();
      await server.close();
    }

    // 2a + 3. In-process engine timing, native vs MiniSearch-underneath, same documents and queries.
    const engines: Record<string, unknown> = {};
    const tops: Record<string, string[][]> = {};
    for (const backend of ['native', 'minisearch'] as const) {
      const { cluster, buildMs, heapMB } = buildInProcess(path.join(root, backend), backend, docs);
      runEngine(cluster, qs.slice(0, 50)); // warm-up (JIT)
      const run = runEngine(cluster, qs);
      tops[backend] = run.top;
      engines[backend] = { buildMs, heapMB, all: summary(run.all), byKind: kindSummary(run.byKind) };
      cluster.close();
    }
    results.searchEngine = engines;
    results.nativeVsMiniSearchTop10Overlap = overlap(tops.native, tops.minisearch);
    results.targetP95Ms = 10;
    const p95 = (b: string) => ((engines[b] as { all: { p95: number } }).all.p95);
    results.engineChoice =
      p95('native') <= p95('minisearch')
        ? `native postings + Lucene BM25 (MiniSearch radix tree as term dictionary): engine p95 ${p95('native')} ms vs ${p95('minisearch')} ms with MiniSearch scoring underneath`
        : `MiniSearch scoring underneath is faster on this run (p95 ${p95('minisearch')} ms vs ${p95('native')} ms): revisit the default backend`;
    results.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 10) / 10);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return results;
}
