import { InMemoryProductRepository } from '../../../../../lambdas/catalog/adapters/in-memory/product-repository';
import type { CacheRead, ProductCache, ProductSearch, QueryMetrics, SearchDocument, SearchPage } from '../../../../../lambdas/catalog/domain/ports';
import type { ListQuery } from '../../../../../lambdas/catalog/domain/query';
import { createBody } from '../../../../../lambdas/catalog/schemas';
import { createProduct } from '../../../../../lambdas/catalog/use-cases/commands';
import { getProduct, listProducts } from '../../../../../lambdas/catalog/use-cases/queries';

/** A search engine that is down. */
class DownSearch implements ProductSearch {
  calls = 0;
  private fail(): never {
    this.calls++;
    throw new Error('connect ECONNREFUSED');
  }
  async getById(): Promise<SearchDocument | undefined> {
    return this.fail();
  }
  async list(_q: ListQuery): Promise<SearchPage> {
    return this.fail();
  }
  async search(): Promise<SearchPage> {
    return this.fail();
  }
  async categories(): Promise<never> {
    return this.fail();
  }
  async ping(): Promise<void> {
    this.fail();
  }
}

/** An empty cache that stores nothing. */
class NoCache implements ProductCache {
  async getProduct() {
    return undefined;
  }
  async fillProduct() {}
  async getQuery<T>(): Promise<CacheRead<T>> {
    return { token: null };
  }
  async fillQuery() {}
  async invalidate() {
    return true;
  }
  async ping() {}
}

class Counting implements QueryMetrics {
  misses = 0;
  latencies = 0;
  cacheHit() {}
  cacheMiss() {
    this.misses++;
  }
  searchLatency() {
    this.latencies++;
  }
}

describe('queries when the search index is down', () => {
  it('one product still answers from the write model; pages answer 503 in the error shape', async () => {
    const products = new InMemoryProductRepository();
    await createProduct(products, createBody.parse({ product_id: 'P1', name: 'Kettle', price: 20, category: 'Kitchen' }));
    const search = new DownSearch();
    const metrics = new Counting();
    const deps = { search, cache: new NoCache(), products, metrics };
    expect(await getProduct(deps, 'P1')).toMatchObject({ product: { product_id: 'P1', price: 20 }, source: 'table' });
    await expect(listProducts(deps, { filters: {}, limit: 5 })).rejects.toMatchObject({ statusCode: 503, code: 'service_unavailable', expose: true });
    expect(search.calls).toBe(2);
    expect(metrics.misses).toBe(2);
    expect(metrics.latencies).toBe(2);
    await expect(getProduct(deps, 'NOPE')).rejects.toMatchObject({ statusCode: 404 });
  });
});
