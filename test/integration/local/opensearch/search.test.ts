// Search through the official client: query DSL forms, relevance and fuzziness, sorting, pagination with
// search_after while documents are added, aggregations (facets), highlight, _source filtering, refresh
// semantics, multi-index search and bad input (malformed DSL, query_string reserved characters, huge sizes).
import { eventually } from '../../../support/poll';
import { Harness, failure, startServer, stopServer } from './helpers';

let h: Harness;

const PRODUCTS = [
  { sku: 'A1', name: 'Wireless Noise Cancelling Headphones', description: 'Over-ear headphones with active noise cancelling and 30 hour battery', brand: 'Sonix', category: 'audio', tags: ['wireless', 'bluetooth'], price: 199.99, stock: 12, created_at: '2024-01-10T10:00:00Z', popularity: 90 },
  { sku: 'A2', name: 'Wired Studio Headphones', description: 'Closed-back studio headphones for mixing', brand: 'Sonix', category: 'audio', tags: ['wired'], price: 89.5, stock: 0, created_at: '2024-02-01T10:00:00Z', popularity: 40 },
  { sku: 'A3', name: 'Bluetooth Speaker', description: 'Portable waterproof speaker with deep bass', brand: 'Boomy', category: 'audio', tags: ['wireless', 'bluetooth', 'outdoor'], price: 59, stock: 30, created_at: '2024-03-15T10:00:00Z', popularity: 75 },
  { sku: 'K1', name: 'Mechanical Keyboard', description: 'Hot-swappable mechanical keyboard with RGB lighting', brand: 'Clacker', category: 'computers', tags: ['usb', 'rgb'], price: 129, stock: 5, created_at: '2023-11-20T10:00:00Z', popularity: 60 },
  { sku: 'K2', name: 'Wireless Keyboard and Mouse', description: 'Quiet wireless keyboard and mouse combo', brand: 'Clacker', category: 'computers', tags: ['wireless'], price: 49.99, stock: 50, created_at: '2024-04-02T10:00:00Z', popularity: 55 },
  { sku: 'M1', name: 'Ergonomic Mouse', description: 'Vertical mouse that reduces wrist strain', brand: 'Handy', category: 'computers', tags: ['usb'], price: 39.9, stock: 22, created_at: '2024-05-05T10:00:00Z', popularity: 35 },
  { sku: 'C1', name: 'Espresso Machine', description: 'Fifteen bar pump espresso machine with milk frother', brand: 'Barista', category: 'kitchen', tags: ['coffee'], price: 349, stock: 3, created_at: '2023-09-01T10:00:00Z', popularity: 80 },
  { sku: 'C2', name: 'Coffee Grinder', description: 'Burr grinder for espresso and filter coffee', brand: 'Barista', category: 'kitchen', tags: ['coffee'], price: 99, created_at: '2024-06-01T10:00:00Z', popularity: 50 },
];

beforeAll(async () => {
  h = await startServer(undefined, 50);
  await h.client.indices.create({
    index: 'products',
    body: {
      settings: { number_of_shards: 2, number_of_replicas: 0 },
      mappings: {
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
      },
    },
  });
  await h.client.bulk({ refresh: true, body: PRODUCTS.flatMap((p) => [{ index: { _index: 'products', _id: p.sku } }, p]) });
});
afterAll(async () => {
  await stopServer(h, true);
});

async function ids(body: Record<string, unknown>, index = 'products'): Promise<string[]> {
  const r = await h.client.search({ index, body });
  return r.body.hits.hits.map((x: { _id: string }) => x._id);
}

describe('query DSL', () => {
  test('match with operator, minimum_should_match and fuzziness', async () => {
    expect(await ids({ query: { match: { name: 'wireless headphones' } } })).toEqual(expect.arrayContaining(['A1', 'A2', 'K2']));
    expect(await ids({ query: { match: { name: { query: 'wireless headphones', operator: 'and' } } } })).toEqual(['A1']);
    expect((await ids({ query: { match: { name: { query: 'wireless studio keyboard', minimum_should_match: 2 } } } })).sort()).toEqual(['K2']);
    expect(await ids({ query: { match: { name: 'headphnes' } } })).toEqual([]);
    expect((await ids({ query: { match: { name: { query: 'headphnes', fuzziness: 'AUTO' } } } })).sort()).toEqual(['A1', 'A2']);
    // AUTO gives no edits to 1-2 character terms and one edit to 3-5 characters.
    expect(await ids({ query: { match: { name: { query: 'muose', fuzziness: 'AUTO' } } } })).toEqual(expect.arrayContaining(['M1', 'K2']));
    expect(await ids({ query: { match: { name: { query: 'mose', fuzziness: 0 } } } })).toEqual([]);
  });

  test('BM25 scores match Lucene (k1 1.2, b 0.75) on a tiny index', async () => {
    await h.client.bulk({
      refresh: true,
      body: [{ index: { _index: 'bm25', _id: '1' } }, { t: 'quick brown fox' }, { index: { _index: 'bm25', _id: '2' } }, { t: 'lazy dog sleeps all day long' }],
    });
    const r = await h.client.search({ index: 'bm25', body: { query: { match: { t: 'fox' } } } });
    // idf = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)); tf norm = 1 / (1 + 1.2 * (1 - 0.75 + 0.75 * 3 / 4.5))
    const expected = Math.log(1 + 1.5 / 1.5) * (1 / (1 + 1.2 * (0.25 + (0.75 * 3) / 4.5)));
    expect(r.body.hits.hits[0]._score).toBeCloseTo(expected, 6);
  });

  test('relevance: BM25 ranks the document with the rarer and more frequent terms first', async () => {
    const r = await h.client.search({ index: 'products', body: { query: { match: { description: 'espresso machine frother' } } } });
    expect(r.body.hits.hits[0]._id).toBe('C1');
    expect(r.body.hits.max_score).toBe(r.body.hits.hits[0]._score);
    expect(r.body.hits.hits[0]._score).toBeGreaterThan(r.body.hits.hits[1]._score);
  });

  test('multi_match with boosts, types and fuzziness', async () => {
    const best = await h.client.search({ index: 'products', body: { query: { multi_match: { query: 'keyboard', fields: ['name^3', 'description'] } } } });
    expect(best.body.hits.hits.map((x: { _id: string }) => x._id).sort()).toEqual(['K1', 'K2']);
    const boosted = await h.client.search({ index: 'products', body: { query: { multi_match: { query: 'mouse', fields: ['name^10', 'description'] } } } });
    const plain = await h.client.search({ index: 'products', body: { query: { multi_match: { query: 'mouse', fields: ['name', 'description'] } } } });
    expect(boosted.body.hits.max_score).toBeGreaterThan(plain.body.hits.max_score * 5);
    expect(await ids({ query: { multi_match: { query: 'bluetoth spekaer', fields: ['name', 'description'], fuzziness: 'AUTO' } } })).toContain('A3');
    expect(await ids({ query: { multi_match: { query: 'ergonomic mou', type: 'phrase_prefix', fields: ['name'] } } })).toEqual(['M1']);
    expect(await ids({ query: { multi_match: { query: 'mouse', type: 'most_fields', fields: ['name', 'description'] } } })).toEqual(expect.arrayContaining(['M1', 'K2']));
  });

  test('match_phrase, bool, term, terms, range, prefix, exists, ids, match_all', async () => {
    expect(await ids({ query: { match_phrase: { description: 'keyboard and mouse' } } })).toEqual(['K2']);
    expect(await ids({ query: { match_phrase: { description: 'mouse and keyboard' } } })).toEqual([]);
    expect(await ids({ query: { match_phrase: { description: { query: 'quiet keyboard', slop: 1 } } } })).toEqual(['K2']);
    expect((await ids({ query: { term: { brand: 'Sonix' } } })).sort()).toEqual(['A1', 'A2']);
    expect(await ids({ query: { term: { brand: 'sonix' } } })).toEqual([]);
    expect((await ids({ query: { terms: { category: ['kitchen', 'computers'] } }, size: 20 })).sort()).toEqual(['C1', 'C2', 'K1', 'K2', 'M1']);
    expect((await ids({ query: { range: { price: { gte: 50, lt: 100 } } } })).sort()).toEqual(['A2', 'A3', 'C2']);
    expect((await ids({ query: { range: { created_at: { gte: '2024-04-01', lte: '2024-05-31' } } } })).sort()).toEqual(['K2', 'M1']);
    expect((await ids({ query: { prefix: { sku: 'K' } } })).sort()).toEqual(['K1', 'K2']);
    expect(await ids({ query: { bool: { must_not: { exists: { field: 'stock' } } } } })).toEqual(['C2']);
    expect((await ids({ query: { ids: { values: ['C1', 'M1', 'zzz'] } } })).sort()).toEqual(['C1', 'M1']);
    expect((await h.client.search({ index: 'products', body: { query: { match_all: {} } } })).body.hits.total).toEqual({ value: 8, relation: 'eq' });
    const bool = await ids({
      query: {
        bool: {
          must: [{ match: { description: 'wireless' } }],
          filter: [{ term: { category: 'computers' } }, { range: { stock: { gt: 0 } } }],
          must_not: [{ term: { brand: 'Handy' } }],
          should: [{ term: { tags: 'rgb' } }],
        },
      },
    });
    expect(bool).toEqual(['K2']);
    const shouldOnly = await ids({ query: { bool: { should: [{ term: { tags: 'coffee' } }, { term: { tags: 'usb' } }, { term: { brand: 'Barista' } }], minimum_should_match: 2 } } });
    expect(shouldOnly.sort()).toEqual(['C1', 'C2']);
    const filterOnly = await h.client.search({ index: 'products', body: { query: { bool: { filter: { term: { brand: 'Barista' } } } } } });
    expect(filterOnly.body.hits.hits.map((x: { _score: number }) => x._score)).toEqual([0, 0]);
  });

  test('query_string and simple_query_string, with reserved characters parsed or refused cleanly', async () => {
    expect((await ids({ query: { query_string: { query: 'name:(wireless AND keyboard) OR brand:Barista' } } })).sort()).toEqual(['C1', 'C2', 'K2']);
    expect(await ids({ query: { query_string: { query: 'price:[100 TO 200] AND category:audio' } } })).toEqual(['A1']);
    expect((await ids({ query: { query_string: { query: 'espres*', fields: ['name', 'description'] } } })).sort()).toEqual(['C1', 'C2']);
    expect((await ids({ query: { simple_query_string: { query: '"studio headphones" | grinder', fields: ['name'] } } })).sort()).toEqual(['A2', 'C2']);
    const sqs = await ids({ query: { simple_query_string: { query: 'wireless -keyboard +headphones', fields: ['name'] } } });
    expect(sqs[0]).toBe('A1');
    expect(sqs).not.toContain('K2');
    for (const q of ['foo(', 'name:', '"unclosed', 'a AND', '[1 TO', '/regex', '\\']) {
      const e = await failure(h.client.search({ index: 'products', body: { query: { query_string: { query: q } } } }));
      expect(e.statusCode).toBe(400);
      expect(e.body.error.type).toBe('search_phase_execution_exception');
      expect(e.body.error.root_cause[0]).toMatchObject({ type: 'query_shard_exception', reason: `Failed to parse query [${q}]` });
    }
    for (const q of ['foo(', '"unclosed', 'a AND', '+-|~*', '((( ']) {
      const r = await h.client.search({ index: 'products', body: { query: { simple_query_string: { query: q } } } });
      expect(r.statusCode).toBe(200);
    }
    expect(await ids({ query: { query_string: { query: 'hot\\-swappable' } } })).toEqual(['K1']);
  });
});

describe('sorting, paging and results', () => {
  test('sort by field asc/desc, keyword sub-field, missing values and multiple keys', async () => {
    expect(await ids({ sort: [{ price: 'asc' }], size: 3 })).toEqual(['M1', 'K2', 'A3']);
    expect(await ids({ sort: [{ price: { order: 'desc' } }], size: 2 })).toEqual(['C1', 'A1']);
    const byName = await h.client.search({ index: 'products', body: { sort: ['name.keyword'], size: 2 } });
    expect(byName.body.hits.hits.map((x: { sort: unknown[] }) => x.sort)).toEqual([['Bluetooth Speaker'], ['Coffee Grinder']]);
    expect(byName.body.hits.hits[0]._score).toBeNull();
    expect(byName.body.hits.max_score).toBeNull();
    expect((await ids({ sort: [{ stock: { order: 'asc' } }], size: 8 })).slice(-1)).toEqual(['C2']);
    expect((await ids({ sort: [{ stock: { order: 'asc', missing: '_first' } }], size: 1 }))).toEqual(['C2']);
    expect(await ids({ sort: [{ brand: 'asc' }, { price: 'desc' }], size: 4 })).toEqual(['C1', 'C2', 'A3', 'K1']);
    const byScore = await h.client.search({ index: 'products', body: { query: { match: { description: 'wireless' } }, sort: ['_score', { sku: 'asc' }] } });
    expect(byScore.body.hits.hits[0]._score).toBeGreaterThan(0);
    const text = await failure(h.client.search({ index: 'products', body: { sort: ['description'] } }));
    expect(text.statusCode).toBe(400);
    expect(text.body.error.root_cause[0].reason).toMatch(/^Text fields are not optimised for operations/);
    const unmapped = await failure(h.client.search({ index: 'products', body: { sort: ['nope'] } }));
    expect(unmapped.body.error.root_cause[0].reason).toBe('No mapping found for [nope] in order to sort on');
  });

  test('from/size, track_total_hits and _source filtering', async () => {
    const page = await h.client.search({ index: 'products', body: { sort: ['sku'], from: 2, size: 2, _source: ['name', 'price'] } });
    expect(page.body.hits.hits.map((x: { _id: string }) => x._id)).toEqual(['A3', 'C1']);
    expect(page.body.hits.hits[1]._source).toEqual({ name: 'Espresso Machine', price: 349 });
    const excl = await h.client.search({ index: 'products', body: { query: { ids: { values: ['A1'] } }, _source: { excludes: ['description', 'tags'] } } });
    expect(Object.keys(excl.body.hits.hits[0]._source).sort()).toEqual(['brand', 'category', 'created_at', 'name', 'popularity', 'price', 'sku', 'stock']);
    const noSrc = await h.client.search({ index: 'products', body: { _source: false, size: 1 } });
    expect(noSrc.body.hits.hits[0]._source).toBeUndefined();
    const capped = await h.client.search({ index: 'products', body: { track_total_hits: 3 } });
    expect(capped.body.hits.total).toEqual({ value: 3, relation: 'gte' });
    const off = await h.client.search({ index: 'products', body: { track_total_hits: false } });
    expect(off.body.hits.total).toBeUndefined();
  });

  test('search_after pagination stays stable while documents are added', async () => {
    await h.client.indices.create({ index: 'feed', body: { settings: { refresh_interval: '-1' }, mappings: { properties: { seq: { type: 'long' } } } } });
    await h.client.bulk({ refresh: true, body: Array.from({ length: 25 }, (_, i) => [{ index: { _index: 'feed', _id: `d${i}` } }, { seq: i * 2 }]).flat() });
    const seen: number[] = [];
    let after: unknown[] | undefined;
    let added = 0;
    for (;;) {
      const r = await h.client.search({ index: 'feed', body: { size: 7, sort: [{ seq: 'asc' }], ...(after ? { search_after: after } : {}) } });
      const hits = r.body.hits.hits as { _source: { seq: number }; sort: unknown[] }[];
      if (hits.length === 0) break;
      seen.push(...hits.map((x) => x._source.seq));
      after = hits[hits.length - 1].sort;
      // Insert documents before the cursor (odd seq numbers) between pages; they must not shift later pages.
      await h.client.index({ index: 'feed', id: `new${added}`, body: { seq: 1 + 2 * added }, refresh: true });
      added++;
    }
    const evens = seen.filter((s) => s % 2 === 0);
    expect(evens).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  test('refresh semantics: invisible to search until refresh, realtime get', async () => {
    await h.client.index({ index: 'feed', id: 'late', body: { seq: 1000 } });
    expect((await h.client.get({ index: 'feed', id: 'late' })).body.found).toBe(true);
    const before = await h.client.search({ index: 'feed', body: { query: { term: { seq: 1000 } } } });
    expect(before.body.hits.total.value).toBe(0);
    await h.client.indices.refresh({ index: 'feed' });
    const after = await h.client.search({ index: 'feed', body: { query: { term: { seq: 1000 } } } });
    expect(after.body.hits.total.value).toBe(1);
    await h.client.index({ index: 'feed', id: 'late2', body: { seq: 1001 }, refresh: 'wait_for' });
    expect((await h.client.count({ index: 'feed', body: { query: { term: { seq: 1001 } } } })).body.count).toBe(1);
  });

  test('periodic refresh (refresh_interval 1s by default) makes new documents searchable', async () => {
    await h.client.index({ index: 'products', id: 'Z9', body: { sku: 'Z9', name: 'Periodic Lamp', price: 1 } });
    const found = await eventually('the periodic refresh to make it searchable', async () => {
      const n = (await h.client.count({ index: 'products', body: { query: { term: { sku: 'Z9' } } } })).body.count as number;
      return n > 0 ? n : undefined;
    }, { timeoutMs: 4_000, intervalMs: 100 });
    expect(found).toBe(1);
    await h.client.delete({ index: 'products', id: 'Z9', refresh: true });
  });

  test('multi-index search with comma lists and wildcards', async () => {
    await h.client.index({ index: 'products-archive', id: 'OLD1', body: { sku: 'OLD1', name: 'Wireless Headphones Classic', price: 20 }, refresh: true });
    const r = await h.client.search({ index: 'products,products-archive', body: { query: { match: { name: 'headphones' } } } });
    expect(r.body.hits.hits.map((x: { _index: string; _id: string }) => `${x._index}/${x._id}`).sort()).toEqual(['products-archive/OLD1', 'products/A1', 'products/A2']);
    // sku is a keyword in products but dynamically mapped text in the archive: match works on both.
    const wild = await h.client.search({ index: 'products*', body: { query: { match: { sku: 'OLD1' } } } });
    expect(wild.body._shards.total).toBe(3);
    expect(wild.body.hits.total.value).toBe(1);
    const none = await h.client.search({ index: 'zzz*' });
    expect(none.body.hits.total.value).toBe(0);
    const missing = await failure(h.client.search({ index: 'products,missing' }));
    expect(missing.statusCode).toBe(404);
    expect(missing.body.error.type).toBe('index_not_found_exception');
  });
});

describe('aggregations and highlight', () => {
  test('terms facets with counts, ordering, size and nested metrics', async () => {
    const r = await h.client.search({
      index: 'products',
      body: {
        size: 0,
        query: { match_all: {} },
        aggs: {
          categories: { terms: { field: 'category' }, aggs: { avg_price: { avg: { field: 'price' } }, max_price: { max: { field: 'price' } } } },
          brands: { terms: { field: 'brand', size: 2, order: { _key: 'asc' } } },
          tags: { terms: { field: 'tags' } },
        },
      },
    });
    const cats = r.body.aggregations.categories;
    expect(cats.doc_count_error_upper_bound).toBe(0);
    expect(cats.sum_other_doc_count).toBe(0);
    expect(cats.buckets.map((b: { key: string; doc_count: number }) => [b.key, b.doc_count])).toEqual([
      ['audio', 3],
      ['computers', 3],
      ['kitchen', 2],
    ]);
    expect(cats.buckets[2].avg_price.value).toBeCloseTo((349 + 99) / 2, 6);
    expect(cats.buckets[2].max_price.value).toBe(349);
    expect(r.body.aggregations.brands.buckets.map((b: { key: string }) => b.key)).toEqual(['Barista', 'Boomy']);
    expect(r.body.aggregations.brands.sum_other_doc_count).toBe(5);
    expect(r.body.aggregations.tags.buckets[0]).toEqual({ key: 'wireless', doc_count: 3 });
    expect(r.body.hits.hits).toEqual([]);
  });

  test('facet counts follow the query, post_filter does not change them', async () => {
    const r = await h.client.search({
      index: 'products',
      body: { query: { match: { description: 'wireless' } }, post_filter: { term: { category: 'audio' } }, aggs: { cat: { terms: { field: 'category' } } } },
    });
    expect(r.body.hits.total.value).toBe(0);
    expect(r.body.aggregations.cat.buckets).toEqual([{ key: 'computers', doc_count: 1 }]);
  });

  test('range, min, max, avg, sum, stats, value_count', async () => {
    const r = await h.client.search({
      index: 'products',
      body: {
        size: 0,
        aggs: {
          prices: { range: { field: 'price', ranges: [{ to: 50 }, { from: 50, to: 100 }, { from: 100 }] } },
          min: { min: { field: 'price' } },
          max: { max: { field: 'price' } },
          avg: { avg: { field: 'stock' } },
          sum: { sum: { field: 'stock' } },
          stats: { stats: { field: 'popularity' } },
          count: { value_count: { field: 'stock' } },
          newest: { max: { field: 'created_at' } },
        },
      },
    });
    const a = r.body.aggregations;
    expect(a.prices.buckets).toEqual([
      { key: '*-50.0', to: 50, doc_count: 2 },
      { key: '50.0-100.0', from: 50, to: 100, doc_count: 3 },
      { key: '100.0-*', from: 100, doc_count: 3 },
    ]);
    expect(a.min.value).toBe(39.9);
    expect(a.max.value).toBe(349);
    expect(a.sum.value).toBe(122);
    expect(a.avg.value).toBeCloseTo(122 / 7, 9);
    expect(a.stats).toEqual({ count: 8, min: 35, max: 90, avg: 485 / 8, sum: 485 });
    expect(a.count.value).toBe(7);
    expect(a.newest).toEqual({ value: Date.parse('2024-06-01T10:00:00Z'), value_as_string: '2024-06-01T10:00:00.000Z' });
    const bad = await failure(h.client.search({ index: 'products', body: { aggs: { x: { terms: { field: 'description' } } } } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body.error.root_cause[0].type).toBe('illegal_argument_exception');
  });

  test('highlight with default and custom tags, fragments of text fields', async () => {
    const r = await h.client.search({
      index: 'products',
      body: { query: { multi_match: { query: 'headphnes noise', fields: ['name', 'description'], fuzziness: 'AUTO' } }, highlight: { fields: { name: {}, description: { pre_tags: ['<b>'], post_tags: ['</b>'] } } } },
    });
    const a1 = r.body.hits.hits.find((x: { _id: string }) => x._id === 'A1');
    expect(a1.highlight.name).toEqual(['Wireless <em>Noise</em> Cancelling <em>Headphones</em>']);
    expect(a1.highlight.description).toEqual(['Over-ear <b>headphones</b> with active <b>noise</b> cancelling and 30 hour battery']);
    const frag = await h.client.search({
      index: 'products',
      body: { query: { match: { description: 'battery' } }, highlight: { fields: { description: { fragment_size: 20, number_of_fragments: 1 } } } },
    });
    const text = frag.body.hits.hits[0].highlight.description[0] as string;
    expect(text).toContain('<em>battery</em>');
    expect(text.length).toBeLessThan(60);
  });
});

describe('bad input', () => {
  test('unknown query type, malformed DSL and unknown search keys', async () => {
    const unknown = await failure(h.client.search({ index: 'products', body: { query: { fizzbuzz: { a: 1 } } } }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: 'parsing_exception', reason: 'unknown query [fizzbuzz]' });
    expect(unknown.body.error.root_cause[0].type).toBe('parsing_exception');
    const badParam = await failure(h.client.search({ index: 'products', body: { query: { match: { name: { query: 'x', bogus: 1 } } } } }));
    expect(badParam.body.error).toMatchObject({ type: 'parsing_exception', reason: '[match] query does not support [bogus]' });
    const twoKeys = await failure(h.client.search({ index: 'products', body: { query: { match: { name: 'a' }, term: { sku: 'b' } } } }));
    expect(twoKeys.body.error.type).toBe('parsing_exception');
    const notObj = await failure(h.client.search({ index: 'products', body: { query: 'hello' } }));
    expect(notObj.body.error.type).toBe('parsing_exception');
    const topKey = await failure(h.client.search({ index: 'products', body: { qurey: {} } as Record<string, unknown> }));
    expect(topKey.body.error).toMatchObject({ type: 'parsing_exception', reason: 'Unknown key for a START_OBJECT in [qurey].' });
    const badNumber = await failure(h.client.search({ index: 'products', body: { query: { term: { price: 'cheap' } } } }));
    expect(badNumber.body.error.type).toBe('search_phase_execution_exception');
    expect(badNumber.body.error.root_cause[0]).toMatchObject({ type: 'query_shard_exception', reason: 'failed to create query: For input string: "cheap"' });
  });

  test('garbage in every shape gets a 4xx answer, never a crash or a 500', async () => {
    const bodies: unknown[] = [
      { query: { range: { price: { gte: 'cheap' } } } },
      { query: { bool: { must: [1, 2] } } },
      { query: { terms: { sku: 'not-an-array' } } },
      { query: { regexp: { sku: '((' } } },
      { query: { match: { created_at: 'not a date' } } },
      { sort: [{ price: { order: 'sideways' } }] },
      { sort: [{ created_at: { missing: 'garbage' } }] },
      { search_after: ['x'], sort: ['price'] },
      { search_after: [1, 2] },
      { aggs: { a: { terms: { field: 'brand', include: '((' } } } },
      { aggs: { a: { histogram: { field: 'price', interval: 0 } } } },
      { aggs: { a: { nope: {} } } },
      { aggs: 'x' },
      { size: 'ten' },
      { from: -2 },
    ];
    for (const body of bodies) {
      const e = await failure(h.client.transport.request({ method: 'POST', path: '/products/_search', body: JSON.stringify(body) }));
      expect({ body, clientError: e.statusCode >= 400 && e.statusCode < 500 }).toEqual({ body, clientError: true });
    }
    for (const raw of ['{', 'null', '[]', '"x"', '{"query":{"match_all":{}}}trailing']) {
      for (const path of ['/products/_search', '/products/_doc/q', '/products/_update/A1', '/_bulk', '/products/_count']) {
        const e = await failure(h.client.transport.request({ method: 'POST', path, body: raw }));
        expect({ path, raw, clientError: e.statusCode >= 400 && e.statusCode < 500 }).toEqual({ path, raw, clientError: true });
      }
    }
  });

  test('result window, negative sizes and huge bodies', async () => {
    const huge = await failure(h.client.search({ index: 'products', body: { size: 1_000_000 } }));
    expect(huge.statusCode).toBe(400);
    expect(huge.body.error.type).toBe('search_phase_execution_exception');
    expect(huge.body.error.root_cause[0]).toMatchObject({
      type: 'illegal_argument_exception',
      reason:
        'Result window is too large, from + size must be less than or equal to: [50] but was [1000000]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.',
    });
    const window = await failure(h.client.search({ index: 'products', body: { from: 45, size: 10 } }));
    expect(window.body.error.root_cause[0].reason).toMatch(/but was \[55\]/);
    const neg = await failure(h.client.search({ index: 'products', body: { size: -3 } }));
    expect(neg.body.error).toMatchObject({ type: 'illegal_argument_exception', reason: '[size] parameter cannot be negative, found [-3]' });
    const big = await failure(h.client.transport.request({ method: 'POST', path: '/products/_doc', body: `{"blob":"${'x'.repeat(101 * 1024 * 1024)}"}` }));
    expect(big.statusCode).toBe(413);
    // The server keeps serving after all of the above.
    expect((await h.client.count({ index: 'products' })).body.count).toBe(8);
  });
});
