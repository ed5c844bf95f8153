import { InMemoryProductIndex } from '../../../../../lambdas/catalog/adapters/in-memory/product-index';
import type { CacheRead, ProductCache, SearchDocument } from '../../../../../lambdas/catalog/domain/ports';
import { planProjection } from '../../../../../lambdas/catalog/domain/projection';
import { projectCatalogEvent } from '../../../../../lambdas/catalog/use-cases/projection';
import { productHistory as history } from '../../../../support/catalog';

/** A cache that records what the projection tells it, invalidating each product's revision once (as the Redis cache does). */
class RecordingCache implements ProductCache {
  readonly invalidations: Array<[string, number]> = [];
  private readonly done = new Map<string, number>();
  failing = false;
  async getProduct(): Promise<SearchDocument | undefined> {
    return undefined;
  }
  async fillProduct(): Promise<void> {}
  async getQuery<T>(): Promise<CacheRead<T>> {
    return { token: null };
  }
  async fillQuery(): Promise<void> {}
  async invalidate(productId: string, revision: number): Promise<boolean> {
    if (this.failing) throw new Error('redis down');
    if ((this.done.get(productId) ?? 0) >= revision) return false;
    this.done.set(productId, revision);
    this.invalidations.push([productId, revision]);
    return true;
  }
  async ping(): Promise<void> {}
}

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
