/**
 * The search projection: applies a catalog event to the index, then invalidates what the cache
 * may hold about it. The index writes come first and are visible to searches when they return,
 * so a query that misses the cache after the invalidation reads the new state.
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { ProductCache, ProductIndexWriter } from '../domain/ports';
import { planProjection } from '../domain/projection';

export interface ProjectionResult {
  outcome: 'ignored' | 'applied' | 'stale';
  /** false when the cache could not be told (its entries then expire by TTL) */
  invalidated?: boolean;
}

export interface ProjectionDeps {
  index: ProductIndexWriter;
  cache: ProductCache;
  /** told when the cache could not be invalidated */
  onInvalidationFailure?: (err: unknown, productId: string) => void;
}

/**
 * 1. decide the index writes from the event (none for events that are not about a product);
 * 2. apply them in order; the index refuses a revision older than the one it holds ("stale":
 *    the event was applied before, or a newer one was);
 * 3. invalidate the product's cache entry and every cached query, once per revision: the cache
 *    keeps a record of the revisions it invalidated, so a replay of an event already applied
 *    leaves the cache (and its cached queries) alone, while a replay after a crash between the
 *    index writes and the invalidation (the index then answers "stale") still invalidates.
 */
export async function projectCatalogEvent(deps: ProjectionDeps, event: EventEnvelope): Promise<ProjectionResult> {
  const plan = planProjection(event);
  if (!plan) return { outcome: 'ignored' };
  const outcomes = [];
  // Every action runs even when the first is stale: a retry after a crash between the new
  // copy and the old routing's delete must still do the delete.
  for (const action of plan.actions) outcomes.push(await deps.index.apply(action));
  const outcome = outcomes.every((o) => o === 'stale') ? 'stale' : 'applied';
  try {
    const now = await deps.cache.invalidate(plan.productId, plan.revision);
    if (outcome === 'stale') return now ? { outcome, invalidated: true } : { outcome };
    return { outcome, invalidated: true };
  } catch (err) {
    deps.onInvalidationFailure?.(err, plan.productId);
    return { outcome, invalidated: false };
  }
}
