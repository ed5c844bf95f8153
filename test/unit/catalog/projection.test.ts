import { InMemoryProductIndex } from '../../../lambdas/catalog/adapters/in-memory/product-index';
import { InMemoryProductRepository } from '../../../lambdas/catalog/adapters/in-memory/product-repository';
import { generationKey, productKey, queryKey } from '../../../lambdas/catalog/domain/cache-keys';
import type { CacheRead, ProductCache, SearchDocument } from '../../../lambdas/catalog/domain/ports';
import { MalformedEventError, planProjection } from '../../../lambdas/catalog/domain/projection';
import { createBody } from '../../../lambdas/catalog/schemas';
import { createProduct, deleteProduct, updateProduct } from '../../../lambdas/catalog/use-cases/commands';
import { projectCatalogEvent } from '../../../lambdas/catalog/use-cases/projection';
import { newEvent } from '../../../lambdas/shared/events/envelope';

const clock = () => '2026-11-25T10:00:00.000Z';

/** A cache that records what the projection tells it. */
class RecordingCache implements ProductCache {
  readonly invalidations: Array<[string, number]> = [];
  failing = false;
  async getProduct(): Promise<SearchDocument | undefined> {
    return undefined;
  }
  async fillProduct(): Promise<void> {}
  async getQuery<T>(): Promise<CacheRead<T>> {
    return { token: null };
  }
  async fillQuery(): Promise<void> {}
  async invalidate(productId: string, revision: number): Promise<void> {
    if (this.failing) throw new Error('redis down');
    this.invalidations.push([productId, revision]);
  }
  async ping(): Promise<void> {}
}

async function history() {
  const repo = new InMemoryProductRepository();
  const body = createBody.parse({ product_id: 'P1', name: 'Premium Headphones', price: 299.99, category: 'Electronics', brand: 'AudioTech', stock: 50 });
  await createProduct(repo, body, clock);
  await updateProduct(repo, 'P1', { price: 279.99 }, 1, clock);
  await updateProduct(repo, 'P1', { category: 'Audio' }, 2, clock);
  await deleteProduct(repo, 'P1', undefined, clock);
  return repo.events;
}

describe('projection decisions', () => {
  it('indexes a product at its category routing with its revision as the external version', async () => {
    const [created] = await history();
    const plan = planProjection(created!)!;
    expect(plan.actions).toEqual([
      { kind: 'index', productId: 'P1', routing: 'Electronics', version: 1, document: expect.objectContaining({ product_id: 'P1', price: 299.99, price_minor: 29999, stock: 50, in_stock: true, revision: 1 }) },
    ]);
  });

  it('a category change writes the new routing and deletes the old one', async () => {
    const events = await history();
    expect(planProjection(events[2]!)!.actions.map((a) => [a.kind, a.routing, a.version])).toEqual([
      ['index', 'Audio', 3],
      ['delete', 'Electronics', 3],
    ]);
  });

  it('a deletion is a versioned delete at the routing', async () => {
    const events = await history();
    expect(planProjection(events[3]!)!.actions).toEqual([{ kind: 'delete', productId: 'P1', routing: 'Audio', version: 4 }]);
  });

  it('ignores other events and refuses catalog events without a product', () => {
    expect(planProjection(newEvent('catalog', 'catalog.import.finished', 'x', {}))).toBeNull();
    expect(() => planProjection(newEvent('catalog', 'catalog.product.created', 'x', { product_id: 'x' }))).toThrow(MalformedEventError);
  });
});

describe('projection', () => {
  it('applies a history in order, and an older event replayed after it changes nothing', async () => {
    const events = await history();
    const index = new InMemoryProductIndex();
    const cache = new RecordingCache();
    const outcomes = [];
    for (const e of events.slice(0, 3)) outcomes.push((await projectCatalogEvent({ index, cache }, e)).outcome);
    expect(outcomes).toEqual(['applied', 'applied', 'applied']);
    expect(index.documents('P1')).toEqual([{ routing: 'Audio', version: 3, document: expect.objectContaining({ category: 'Audio', price: 279.99 }) }]);

    // an old event again (a replay): the index refuses it, nothing is invalidated
    expect(await projectCatalogEvent({ index, cache }, events[1]!)).toEqual({ outcome: 'stale' });
    expect(await projectCatalogEvent({ index, cache }, events[0]!)).toEqual({ outcome: 'stale' });
    expect(index.documents('P1')).toEqual([expect.objectContaining({ routing: 'Audio', version: 3 })]);
    expect(cache.invalidations).toEqual([['P1', 1], ['P1', 2], ['P1', 3]]);

    await projectCatalogEvent({ index, cache }, events[3]!);
    expect(index.documents('P1')).toEqual([]);
    expect(await projectCatalogEvent({ index, cache }, events[2]!)).toEqual({ outcome: 'stale' });
    expect(index.documents('P1')).toEqual([]);
  });

  it('a retry after a crash between the new copy and the old routing delete still deletes', async () => {
    const events = await history();
    const index = new InMemoryProductIndex();
    const cache = new RecordingCache();
    await projectCatalogEvent({ index, cache }, events[0]!);
    await projectCatalogEvent({ index, cache }, events[1]!);
    const move = planProjection(events[2]!)!;
    await index.apply(move.actions[0]!); // the crash: only the new copy was written
    expect(index.documents('P1').map((d) => d.routing).sort()).toEqual(['Audio', 'Electronics']);
    expect((await projectCatalogEvent({ index, cache }, events[2]!)).outcome).toBe('applied');
    expect(index.documents('P1').map((d) => d.routing)).toEqual(['Audio']);
  });

  it('a cache that cannot be invalidated does not fail the event', async () => {
    const [created] = await history();
    const cache = new RecordingCache();
    cache.failing = true;
    const failures: string[] = [];
    const result = await projectCatalogEvent({ index: new InMemoryProductIndex(), cache, onInvalidationFailure: (_e, id) => failures.push(id) }, created!);
    expect(result).toEqual({ outcome: 'applied', invalidated: false });
    expect(failures).toEqual(['P1']);
  });
});

describe('cache keys', () => {
  it('one key per product, one generation key', () => {
    expect(productKey('PROD-001')).toBe('catalog:v1:product:PROD-001');
    expect(generationKey()).toBe('catalog:v1:generation');
  });

  it('query keys depend on generation, kind and parameters, not on parameter order', () => {
    const a = queryKey('7', 'list', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 20 });
    const b = queryKey('7', 'list', { limit: 20, sort: 'newest', filters: { brand: 'Acme', category: 'Books' } });
    expect(a).toBe(b);
    expect(a).toMatch(/^catalog:v1:query:7:list:[A-Za-z0-9_-]{22}$/);
    expect(queryKey('8', 'list', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 20 })).not.toBe(a);
    expect(queryKey('7', 'search', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 20 })).not.toBe(a);
    expect(queryKey('7', 'list', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 21 })).not.toBe(a);
    expect(queryKey('7', 'list', { filters: { category: 'Books' }, sort: 'newest', limit: 20, after: undefined })).toBe(
      queryKey('7', 'list', { filters: { category: 'Books' }, sort: 'newest', limit: 20 }),
    );
  });
});
