/**
 * The catalog's adapters against the real emulators (DynamoDB Local, the local OpenSearch
 * engine, redis-server), wired through the same use cases as the Lambda functions. Events go
 * from the outbox table to the projection as the publisher and Kafka would carry them (read
 * back from DynamoDB, in revision order per product).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Client } from '@opensearch-project/opensearch';
import { createRedisClient } from '../../../lambdas/catalog/adapters/redis/client';
import { RedisProductCache } from '../../../lambdas/catalog/adapters/redis/product-cache';
import { EventAlreadyRecordedError, ProductExistsError, StaleProductError, VersionConflictError } from '../../../lambdas/catalog/domain/errors';
import { stockChangedEvent } from '../../../lambdas/catalog/domain/events';
import { applyStock } from '../../../lambdas/catalog/domain/product';
import { createBody, type CreateBody } from '../../../lambdas/catalog/schemas';
import { createProduct, deleteProduct, updateProduct } from '../../../lambdas/catalog/use-cases/commands';
import { projectCatalogEvent } from '../../../lambdas/catalog/use-cases/projection';
import { getProduct, listCategories, listProducts, searchProducts, type PageResponse, type QueryDeps } from '../../../lambdas/catalog/use-cases/queries';
import { applyPopularitySignal } from '../../../lambdas/catalog/use-cases/signals';
import { decodeCursor } from '../../../lambdas/shared/cursor';
import type { EventEnvelope } from '../../../lambdas/shared/events/envelope';
import { findFreePort } from '../../../local/process/ports';
import { startEmulators, type Emulators } from './catalog-emulators';

let env: Emulators;

beforeAll(async () => {
  env = await startEmulators();
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

/** A little catalog pipeline: commands on DynamoDB, the outbox read back, the projection into one index. */
function pipeline(index: string, prefix: string) {
  const a = env.adapters(index);
  const projected = new Set<string>();
  const deps: QueryDeps = { search: a.search, cache: a.cache, products: a.repo, metrics: a.metrics };
  const body = (id: string, extra: Partial<Record<string, unknown>> = {}): CreateBody =>
    createBody.parse({ product_id: `${prefix}${id}`, name: `Product ${id}`, price: 10, category: 'Books', brand: 'Acme', stock: 1, ...extra });
  return {
    ...a,
    deps,
    body,
    create: (id: string, extra: Partial<Record<string, unknown>> = {}) => createProduct(a.repo, body(id, extra)),
    /** projects every outbox event of this pipeline's products not projected yet */
    async flush(): Promise<EventEnvelope[]> {
      const out = await env.ddb.send(new ScanCommand({ TableName: env.tables.outbox }));
      const events = (out.Items ?? [])
        .map((i) => JSON.parse(unmarshall(i).envelope as string) as EventEnvelope<{ revision: number }>)
        .filter((e) => e.subject.startsWith(prefix) && !projected.has(e.id))
        .sort((x, y) => x.data.revision - y.data.revision);
      for (const e of events) {
        await projectCatalogEvent({ index: a.writer, cache: a.cache }, e);
        projected.add(e.id);
      }
      return events;
    },
  };
}

const rawClient = () => new Client({ node: env.opensearch.url });

describe('write model: a product and its event in one transaction', () => {
  it('creates, refuses a taken id, and writes the event to the outbox', async () => {
    const p = pipeline('wm-products', 'WM1-');
    const view = await p.create('A', { stock: 50, price: 299.99 });
    expect(view).toMatchObject({ product_id: 'WM1-A', price: 299.99, price_minor: 29999, version: 1 });
    expect(await p.repo.get('WM1-A')).toMatchObject({ priceMinor: 29999, stock: 50, revision: 1, deleted: false });
    const [event] = await p.flush();
    expect(event).toMatchObject({ type: 'catalog.product.created', source: 'catalog', subject: 'WM1-A', data: { stock: 50, version: 1, revision: 1 } });
    await expect(p.create('A')).rejects.toBeInstanceOf(ProductExistsError);
  });

  it('a save against a moved revision is refused; so is an event id already in the outbox', async () => {
    const p = pipeline('wm-products', 'WM2-');
    await p.create('A');
    const current = (await p.repo.get('WM2-A'))!;
    const at = new Date().toISOString();
    const next = applyStock(current, 9, 1, at)!;
    await p.repo.save(next, { revision: current.revision }, stockChangedEvent(next, 'report-1'));
    // a second writer that read the same revision loses
    const other = applyStock(current, 7, 2, at)!;
    await expect(p.repo.save(other, { revision: current.revision }, stockChangedEvent(other, 'report-2'))).rejects.toBeInstanceOf(StaleProductError);
    // the same report again: its derived event is already in the outbox
    const moved = (await p.repo.get('WM2-A'))!;
    const again = { ...moved, revision: moved.revision + 1 };
    await expect(p.repo.save(again, { revision: moved.revision }, stockChangedEvent(again, 'report-1'))).rejects.toBeInstanceOf(EventAlreadyRecordedError);
    expect(await p.repo.get('WM2-A')).toMatchObject({ stock: 9, revision: 2 });
  });

  it('counts a confirmed order once even when it is handled twice', async () => {
    const p = pipeline('wm-products', 'WM3-');
    await p.create('A');
    expect(await applyPopularitySignal(p.repo, { productId: 'WM3-A', quantity: 3 }, 'order-event-1')).toBe('applied');
    expect(await applyPopularitySignal(p.repo, { productId: 'WM3-A', quantity: 3 }, 'order-event-1')).toBe('duplicate');
    expect(await p.repo.get('WM3-A')).toMatchObject({ popularity: 3, version: 1, revision: 2 });
  });

  it('versions: a stale update is a 409; delete then create again continues the revisions', async () => {
    const p = pipeline('wm-products', 'WM4-');
    await p.create('A');
    await updateProduct(p.repo, 'WM4-A', { price: 12 }, 1);
    await expect(updateProduct(p.repo, 'WM4-A', { price: 13 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
    await deleteProduct(p.repo, 'WM4-A', 2);
    expect(await p.repo.get('WM4-A')).toMatchObject({ deleted: true, version: 3, revision: 3 });
    expect(await p.create('A')).toMatchObject({ version: 1 });
    expect(await p.repo.get('WM4-A')).toMatchObject({ deleted: false, revision: 4 });
  });
});

describe('index writer: external versions and routing', () => {
  it('creates the index with 3 shards, 1 replica and explicit mappings', async () => {
    const p = pipeline('iw-products', 'IW1-');
    await p.create('A');
    await p.flush();
    const client = rawClient();
    const settings = (await client.indices.getSettings({ index: 'iw-products' })).body['iw-products']!.settings!.index!;
    expect(settings).toMatchObject({ number_of_shards: '3', number_of_replicas: '1' });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw response body, read by path
    const mapping = (await client.indices.getMapping({ index: 'iw-products' })).body['iw-products']!.mappings as Record<string, any>;
    expect(mapping.dynamic).toBe('strict');
    expect(mapping._routing).toEqual({ required: true });
    expect(mapping.properties.name).toEqual({ type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } });
    expect(mapping.properties.price.type).toBe('double');
    expect(mapping.properties.created_at.type).toBe('date');
    await client.close();
  });

  it('an older revision never overwrites a newer one (409 is "stale")', async () => {
    const p = pipeline('iw-products', 'IW2-');
    await p.create('A', { price: 10 });
    await updateProduct(p.repo, 'IW2-A', { price: 20 }, 1);
    const events = await p.flush();
    expect(events).toHaveLength(2);
    const client = rawClient();
    const doc = await client.get({ index: 'iw-products', id: 'IW2-A', routing: 'Books' });
    expect(doc.body._version).toBe(2);
    expect((doc.body._source as { price: number }).price).toBe(20);
    // the first event again, as a replay would bring it
    expect(await projectCatalogEvent({ index: p.writer, cache: p.cache }, events[0]!)).toEqual({ outcome: 'stale' });
    expect(((await client.get({ index: 'iw-products', id: 'IW2-A', routing: 'Books' })).body._source as { price: number }).price).toBe(20);
    await client.close();
  });

  // Books and Garden hash to different shards of 3, Books and Toys to the same one.
  it('routes by category; a move to another shard deletes the old copy; a delete removes it', async () => {
    const p = pipeline('iw-products', 'IW3-');
    await p.create('A', { category: 'Books' });
    await p.flush();
    await updateProduct(p.repo, 'IW3-A', { category: 'Garden' }, 1);
    await p.flush();
    const client = rawClient();
    expect((await client.get({ index: 'iw-products', id: 'IW3-A', routing: 'Garden' })).body._source).toMatchObject({ category: 'Garden' });
    await expect(client.get({ index: 'iw-products', id: 'IW3-A', routing: 'Books' })).rejects.toMatchObject({ statusCode: 404 });
    const hits = (await client.search({ index: 'iw-products', body: { query: { ids: { values: ['IW3-A'] } } } })).body.hits.hits;
    expect(hits.map((h) => h._routing)).toEqual(['Garden']);
    await deleteProduct(p.repo, 'IW3-A', undefined);
    await p.flush();
    expect(await p.search.getById('IW3-A')).toBeUndefined();
    await client.close();
  });

  it('a move within one shard replaces the document, and the old routing\'s delete cannot remove the new one', async () => {
    const p = pipeline('iw-products', 'IW4-');
    await p.create('A', { category: 'Books' });
    await p.flush();
    await updateProduct(p.repo, 'IW4-A', { category: 'Toys' }, 1);
    await p.flush();
    const client = rawClient();
    const hits = (await client.search({ index: 'iw-products', body: { query: { ids: { values: ['IW4-A'] } } } })).body.hits.hits;
    expect(hits.map((h) => [h._routing, (h._source as { category: string }).category])).toEqual([['Toys', 'Toys']]);
    await client.close();
  });
});

describe('queries over the index', () => {
  const prefix = 'Q-';
  let p: ReturnType<typeof pipeline>;
  const seed: Array<{ id: string; name: string; category: string; brand: string; price: number; stock: number; tags?: string[]; description?: string }> = [
    { id: '001', name: 'Premium Headphones', category: 'Electronics', brand: 'AudioTech', price: 299.99, stock: 50, tags: ['audio', 'wireless', 'premium'], description: 'High-quality wireless headphones' },
    { id: '002', name: 'Studio Monitor Speakers', category: 'Electronics', brand: 'AudioTech', price: 449, stock: 0, tags: ['audio'] },
    { id: '003', name: 'Budget Earbuds', category: 'Electronics', brand: 'SoundCore', price: 19.99, stock: 12, tags: ['audio', 'wireless'] },
    { id: '004', name: 'Noise Cancelling Headset', category: 'Electronics', brand: 'SoundCore', price: 129.5, stock: 3 },
    { id: '005', name: 'Cast Iron Skillet', category: 'Kitchen', brand: 'HearthWare', price: 39.95, stock: 20 },
    { id: '006', name: 'Chef Knife', category: 'Kitchen', brand: 'HearthWare', price: 89, stock: 0 },
    { id: '007', name: 'Espresso Machine', category: 'Kitchen', brand: 'Brewmaster', price: 649, stock: 4 },
    { id: '008', name: 'The Pragmatic Reader', category: 'Books', brand: 'Inkwell', price: 24.5, stock: 100 },
    { id: '009', name: 'Gardening Basics', category: 'Books', brand: 'Inkwell', price: 15, stock: 7 },
    { id: '010', name: 'Wireless Charger', category: 'Electronics', brand: 'VoltEdge', price: 29.99, stock: 30, tags: ['wireless'] },
  ];

  beforeAll(async () => {
    p = pipeline('q-products', prefix);
    for (const s of seed) await p.create(s.id, { name: s.name, category: s.category, brand: s.brand, price: s.price, stock: s.stock, tags: s.tags ?? [], description: s.description ?? '' });
    await p.flush();
  });

  const ids = (page: PageResponse) => page.items.map((i) => i.product_id.slice(prefix.length));

  it('filters by category, brand, price range and stock', async () => {
    const page = await listProducts(p.deps, { filters: { category: 'Electronics', inStock: true, minPrice: 20, maxPrice: 300 }, sort: 'price_asc', limit: 20 });
    expect(ids(page)).toEqual(['010', '004', '001']);
    expect(page.total).toBe(3);
    const brand = await listProducts(p.deps, { filters: { brand: 'HearthWare' }, sort: 'price_desc', limit: 20 });
    expect(ids(brand)).toEqual(['006', '005']);
    expect(brand.items[0]).toMatchObject({ price: 89, price_minor: 8900, currency: 'USD', in_stock: false });
    expect(brand.items[0]).not.toHaveProperty('revision');
  });

  it('facets count by category and brand (each under the other filters) and by price range', async () => {
    const page = await listProducts(p.deps, { filters: { category: 'Electronics' }, sort: 'newest', limit: 2, facets: true });
    expect(page.total).toBe(5);
    expect(page.facets!.category).toEqual(
      expect.arrayContaining([
        { value: 'Electronics', count: 5 },
        { value: 'Kitchen', count: 3 },
        { value: 'Books', count: 2 },
      ]),
    );
    expect(page.facets!.brand).toEqual(
      expect.arrayContaining([
        { value: 'AudioTech', count: 2 },
        { value: 'SoundCore', count: 2 },
        { value: 'VoltEdge', count: 1 },
      ]),
    );
    expect(page.facets!.brand).toHaveLength(3);
    const byKey = Object.fromEntries(page.facets!.price.map((b) => [b.key, b.count]));
    expect(byKey).toMatchObject({ under_25: 1, '25_50': 1, '100_250': 1, '250_500': 2, '500_1000': 0 });
    expect(await listCategories(p.deps)).toEqual({
      items: [
        { category: 'Electronics', count: 5 },
        { category: 'Kitchen', count: 3 },
        { category: 'Books', count: 2 },
      ],
      count: 3,
    });
  });

  it('finds through typos, ranks the best match first, highlights it', async () => {
    const typo = await searchProducts(p.deps, 'headphnes', { filters: {}, limit: 5 });
    expect(typo.items[0]).toMatchObject({ product_id: 'Q-001', name: 'Premium Headphones' });
    expect(typo.items[0]!.highlight!.name![0]).toContain('<em>');
    const two = await searchProducts(p.deps, 'audiotech headphones', { filters: {}, limit: 5 });
    expect(ids(two)).toEqual(['001']);
    const syntax = await searchProducts(p.deps, 'wireless && (charger) +-!', { filters: {}, limit: 5 });
    expect(ids(syntax)[0]).toBe('010');
    const filtered = await searchProducts(p.deps, 'wireless', { filters: { maxPrice: 100 }, limit: 5 });
    expect(ids(filtered).sort()).toEqual(['003', '010']);
    expect(filtered.facets!.category).toEqual([{ value: 'Electronics', count: 2 }]);
  });

  it('pages never repeat or skip an item while products are added', async () => {
    const q = pipeline('q-products', prefix);
    for (const sort of ['price_asc', 'newest'] as const) {
      const before = new Set((await listProducts(p.deps, { filters: {}, sort, limit: 100 })).items.map((i) => i.product_id));
      const seen: string[] = [];
      let cursor: string | null = null;
      let added = 0;
      do {
        const page: PageResponse = await listProducts(p.deps, { filters: {}, sort, limit: 3, cursor: decodeCursor(cursor ?? undefined) });
        seen.push(...page.items.map((i) => i.product_id));
        cursor = page.next_cursor;
        // between pages, new products land before and after the cursor
        for (const price of [0.5, 5000]) await q.create(`${sort}-${added++}`, { price });
        await q.flush();
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
    }
  });

  it('refuses a cursor from another query', async () => {
    const first = await listProducts(p.deps, { filters: { category: 'Kitchen' }, sort: 'price_asc', limit: 1 });
    expect(first.next_cursor).toBeTruthy();
    await expect(listProducts(p.deps, { filters: { category: 'Books' }, sort: 'price_asc', limit: 1, cursor: decodeCursor(first.next_cursor!) })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});

describe('cache', () => {
  it('a product is a miss, then a hit; a change invalidates it; an older copy cannot come back', async () => {
    const p = pipeline('c-products', 'C1-');
    await p.create('A', { price: 10 });
    await p.flush();
    expect(await getProduct(p.deps, 'C1-A')).toMatchObject({ product: { price: 10, version: 1 }, source: 'index' });
    expect(await getProduct(p.deps, 'C1-A')).toMatchObject({ product: { price: 10, version: 1 }, source: 'cache' });
    expect(p.metrics.misses).toEqual(['product']);
    expect(p.metrics.hits).toEqual(['product']);

    await updateProduct(p.repo, 'C1-A', { price: 11 }, 1);
    await p.flush();
    p.metrics.reset();
    expect(await getProduct(p.deps, 'C1-A')).toMatchObject({ product: { price: 11, version: 2 }, source: 'index' });
    expect(p.metrics.misses).toEqual(['product']);

    // a slow reader that fetched revision 1 before the change tries to cache it now: refused
    await p.cache.fillProduct({ ...(await p.cache.getProduct('C1-A'))!, price: 10, revision: 1, version: 1 });
    expect(await p.cache.getProduct('C1-A')).toMatchObject({ price: 11, revision: 2 });
  });

  it('a product the index does not hold yet is answered from the write model', async () => {
    const p = pipeline('c-products', 'C2-');
    await p.create('A', { price: 10 }); // not projected
    expect(await getProduct(p.deps, 'C2-A')).toMatchObject({ product: { product_id: 'C2-A', price: 10 }, source: 'table' });
    await expect(getProduct(p.deps, 'C2-NOPE')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('query answers are cached under the generation, and any change retires them', async () => {
    const p = pipeline('c-products', 'C3-');
    await p.create('A', { category: 'Garden', price: 5 });
    await p.flush();
    const req = { filters: { category: 'Garden' }, sort: 'price_asc' as const, limit: 10 };
    expect((await listProducts(p.deps, req)).count).toBe(1);
    expect((await listProducts(p.deps, req)).count).toBe(1);
    expect(p.metrics.hits).toEqual(['list']);
    await p.create('B', { category: 'Garden', price: 6 });
    await p.flush();
    p.metrics.reset();
    expect((await listProducts(p.deps, req)).count).toBe(2);
    expect(p.metrics.misses).toEqual(['list']);
  });

  it('a cache that cannot be reached is a miss, not an error', async () => {
    const p = pipeline('c-products', 'C4-');
    await p.create('A');
    await p.flush();
    const port = await findFreePort(); // nothing listens there
    const dead = createRedisClient({ host: '127.0.0.1', port, tls: false, cluster: false, connectTimeoutMs: 200, commandTimeoutMs: 200 });
    const cache = new RedisProductCache(dead);
    const deps: QueryDeps = { ...p.deps, cache };
    expect(await getProduct(deps, 'C4-A')).toMatchObject({ product: { product_id: 'C4-A' }, source: 'index' });
    expect((await listProducts(deps, { filters: { category: 'Books' }, limit: 5 })).items.map((i) => i.product_id)).toContain('C4-A');
    expect(await cache.getQuery('list', {})).toEqual({ token: null });
    dead.disconnect();
  });
});
