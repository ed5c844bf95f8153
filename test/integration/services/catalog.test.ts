/**
 * The Catalog service on the local cloud, through the API with keys: commands reach the search
 * index and the cache through the outbox, Kafka and the projection; Inventory gets a new
 * product's stock from its event; bad input gets a clear 4xx in the platform's error shape.
 * Products use unique words, categories and ids, so the sample catalog and other runs do not
 * change what a test sees.
 */
import { QUICK_START_PRODUCT as QUICK_START } from '../../support/catalog';
import { call, uniqueId } from '../../support/local-cloud';
import { eventually as poll } from '../../support/poll';

/** A made-up word the analyzer keeps whole, unique to this run. */
const word = () => `zq${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 7).padEnd(7, 'x')}`;

/** Polls until `check` returns a value; the propagation path is asynchronous (outbox, Kafka, projection). */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 8_000): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await poll(what, check, { timeoutMs, intervalMs: 50 });
  return { value, ms: Date.now() - started };
}

async function create(body: Record<string, unknown>) {
  const res = await call('/api/catalog', { body });
  expect(res.status).toBe(201);
  return res.body;
}

const searchHas = (query: string, productId: string) => async () => {
  const res = await call(`/api/catalog/search/${encodeURIComponent(query)}`);
  expect(res.status).toBe(200);
  return res.body.items.find((i: { product_id: string }) => i.product_id === productId);
};

describe('catalog commands and queries through the API', () => {
  it("accepts the original README's quick-start call unchanged (plus the key)", async () => {
    const res = await call('/api/catalog', { body: QUICK_START });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...QUICK_START, price: 299.99, price_minor: 29999, currency: 'USD', in_stock: true, version: 1, featured: false });
    expect(res.body.product_id).toMatch(/^prod_[0-9a-f]{32}$/);
    expect(res.headers.get('etag')).toBe('"1"');
    const read = await call(`/api/catalog/${res.body.product_id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ product_id: res.body.product_id, name: 'Premium Headphones', price: 299.99 });
  });

  it('a created product is searchable shortly after, and its stock reaches Inventory', async () => {
    const w = word();
    const id = uniqueId('CAT');
    await create({ ...QUICK_START, product_id: id, name: `${w} Headphones`, stock: 7 });
    const found = await eventually('search finds the new product', searchHas(w, id));
    console.log(`searchable after ${found.ms} ms`); // the typical path is well under a second
    expect(found.value).toMatchObject({ product_id: id, price: 299.99, stock: 7, in_stock: true });
    const stock = await eventually('inventory holds the stock', async () => {
      const res = await call(`/api/inventory/${id}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(stock.value).toMatchObject({ product_id: id, available: 7 });
  });

  it('a stock change in Inventory reaches the catalog', async () => {
    const id = uniqueId('STK');
    await create({ ...QUICK_START, product_id: id, name: `${word()} Lamp`, stock: 3 });
    await eventually('inventory holds the stock', async () => ((await call(`/api/inventory/${id}`)).status === 200 ? true : undefined));
    expect((await call(`/api/inventory/${id}/restock`, { body: { quantity: 9 } })).status).toBe(200);
    const seen = await eventually('the catalog shows the new stock', async () => {
      const res = await call(`/api/catalog/${id}`);
      return res.body.stock === 12 ? res.body : undefined;
    });
    expect(seen.value).toMatchObject({ stock: 12, in_stock: true, version: 1 }); // stock is not a catalog edit
  });

  it('a typo still finds it, highlighted', async () => {
    const w = word();
    const id = uniqueId('TYPO');
    await create({ ...QUICK_START, product_id: id, name: `Studio ${w} Monitor` });
    const typo = `${w.slice(0, 3)}${w.slice(4)}`; // one letter dropped
    const hit = (await eventually('the typo finds it', searchHas(typo, id))).value;
    expect(hit.highlight.name[0]).toContain('<em>');
  });

  it('an update reaches search and invalidates the cached product; a stale version is a 409', async () => {
    const w = word();
    const id = uniqueId('UPD');
    await create({ ...QUICK_START, product_id: id, name: `${w} Speaker`, price: 100 });
    await eventually('indexed', searchHas(w, id));
    await call(`/api/catalog/${id}`); // now cached
    const cached = await call(`/api/catalog/${id}`);
    expect(cached.body.price).toBe(100);
    expect(cached.headers.get('x-cache')).toBe('hit');

    const w2 = word();
    const updated = await call(`/api/catalog/${id}`, { method: 'PUT', body: { price: 89.5, name: `${w2} Speaker` }, headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ price: 89.5, price_minor: 8950, version: 2 });
    const fresh = await eventually('the cached product is invalidated', async () => {
      const res = await call(`/api/catalog/${id}`);
      return res.body.price === 89.5 ? res : undefined;
    });
    expect(fresh.value.headers.get('x-cache')).toBe('miss'); // the first read after the change
    expect((await call(`/api/catalog/${id}`)).headers.get('x-cache')).toBe('hit');
    await eventually('search sees the new name', searchHas(w2, id));
    expect(await searchHas(w, id)()).toBeUndefined();

    const stale = await call(`/api/catalog/${id}`, { method: 'PUT', body: { version: 1, featured: true } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: [expect.objectContaining({ field: 'version', current_version: 2 })] });
    const noVersion = await call(`/api/catalog/${id}`, { method: 'PUT', body: { featured: true } });
    expect(noVersion.status).toBe(422);
    expect(noVersion.body.error.details[0].field).toBe('version');
  });

  it('facets and counts are right, categories are counted', async () => {
    const category = `Cat ${word()}`;
    const items = [
      { brand: 'Alpha', price: 10, stock: 1 },
      { brand: 'Alpha', price: 30, stock: 0 },
      { brand: 'Beta', price: 120, stock: 5 },
    ];
    const ids = [];
    for (const [i, it] of items.entries()) ids.push((await create({ ...QUICK_START, product_id: uniqueId(`FAC${i}`), name: `Facet item ${i}`, category, ...it })).product_id);
    const q = `category=${encodeURIComponent(category)}`;
    const page = (
      await eventually('all three indexed', async () => {
        const res = await call(`/api/catalog?${q}&facets=true`);
        return res.body.total === 3 ? res : undefined;
      })
    ).value;
    expect(page.status).toBe(200);
    expect(page.body.facets.brand).toEqual([
      { value: 'Alpha', count: 2 },
      { value: 'Beta', count: 1 },
    ]);
    const prices = Object.fromEntries(page.body.facets.price.map((b: { key: string; count: number }) => [b.key, b.count]));
    expect(prices).toMatchObject({ under_25: 1, '25_50': 1, '100_250': 1, '1000_plus': 0 });
    const inStock = await call(`/api/catalog?${q}&in_stock=true&brand=Alpha`);
    expect(inStock.body.items.map((i: { product_id: string }) => i.product_id)).toEqual([ids[0]]);
    const categories = await call('/api/catalog/meta/categories');
    expect(categories.status).toBe(200);
    expect(categories.body.items).toContainEqual({ category, count: 3 });
  });

  it('pages never repeat or skip an item while products are added', async () => {
    const category = `Page ${word()}`;
    for (let i = 0; i < 6; i++) await create({ ...QUICK_START, product_id: uniqueId(`PG${i}`), name: `Paged ${i}`, category, price: 10 + i });
    const q = `category=${encodeURIComponent(category)}&sort=price_asc&limit=2`;
    const before = (
      await eventually('six indexed', async () => {
        const res = await call(`/api/catalog?category=${encodeURIComponent(category)}&limit=100`);
        return res.body.total === 6 ? res.body.items.map((i: { product_id: string }) => i.product_id) : undefined;
      })
    ).value as string[];
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const res: { status: number; body: { items: Array<{ product_id: string }>; next_cursor: string | null } } = await call(`/api/catalog?${q}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i) => i.product_id));
      cursor = res.body.next_cursor;
      for (const price of [1, 1000]) await create({ ...QUICK_START, product_id: uniqueId(`PGN${n++}`), name: 'Paged late', category, price });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });

  it('featured products and a deleted product', async () => {
    const id = uniqueId('DEL');
    await create({ ...QUICK_START, product_id: id, name: `${word()} Featured`, featured: true });
    await eventually('featured', async () => {
      const res = await call('/api/catalog/featured/list?limit=100');
      return res.body.items.find((i: { product_id: string }) => i.product_id === id);
    });
    const del = await call(`/api/catalog/${id}`, { method: 'DELETE', headers: { 'if-match': '"1"' } });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ product_id: id, version: 2, deleted: true });
    await eventually('gone', async () => ((await call(`/api/catalog/${id}`)).status === 404 ? true : undefined));
    expect((await call(`/api/catalog/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('creating an existing product id is a 409', async () => {
    const id = uniqueId('DUP');
    await create({ ...QUICK_START, product_id: id });
    const again = await call('/api/catalog', { body: { ...QUICK_START, product_id: id } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('product_exists');
  });

  it('answers health without a key', async () => {
    const res = await call('/api/catalog/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ service: 'catalog', status: 'ok', checks: { dynamodb: { status: 'ok' }, opensearch: { status: 'ok' }, redis: { status: 'ok' } } });
  });
});

describe('bad input gets a clear 4xx in the platform error shape', () => {
  const shape = { error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } };

  it('malformed JSON is a 400', async () => {
    const res = await call('/api/catalog', { rawBody: '{"name": "x",', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(shape);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('a search made only of query-syntax characters is a 400; mixed with words it is plain text', async () => {
    const res = await call(`/api/catalog/search/${encodeURIComponent('+-=&&||><!(){}[]^"~*?:\\/')}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(shape);
    expect(res.body.error.details[0].field).toBe('query');
    const mixed = await call(`/api/catalog/search/${encodeURIComponent('headphones (wireless) +premium -"cheap" ~*?')}`);
    expect(mixed.status).toBe(200);
  });

  it('a huge limit, an unknown sort, a bad cursor are 400s naming the parameter', async () => {
    for (const [query, field] of [
      ['limit=1000000', 'limit'],
      ['sort=cheapest', 'sort'],
      ['cursor=not-a-cursor', 'cursor'],
      ['min_price=abc', 'min_price'],
    ]) {
      const res = await call(`/api/catalog?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(shape);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });

  it('a negative price, an empty name, too many tags are 422s naming each field', async () => {
    const res = await call('/api/catalog', { body: { ...QUICK_START, price: -5, name: '', tags: Array.from({ length: 50 }, (_, i) => `t${i}`) } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(shape);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['price', 'name', 'tags']));
    const decimals = await call('/api/catalog', { body: { ...QUICK_START, price: 299.999 } });
    expect(decimals.status).toBe(422);
  });

  it('a 1 MB description is a 413; one just over the cap is a 422', async () => {
    const huge = await call('/api/catalog', { body: { ...QUICK_START, description: 'x'.repeat(1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual(shape);
    const long = await call('/api/catalog', { body: { ...QUICK_START, description: 'x'.repeat(5001) } });
    expect(long.status).toBe(422);
    expect(long.body.error.details[0].field).toBe('description');
  });

  it('an unknown product is a 404, a bad id a 400', async () => {
    const res = await call(`/api/catalog/${uniqueId('NOPE')}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(shape);
    const bad = await call(`/api/catalog/${encodeURIComponent('bad id!')}`);
    expect(bad.status).toBe(400);
  });
});
