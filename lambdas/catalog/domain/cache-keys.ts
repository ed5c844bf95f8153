/**
 * The cache's key scheme, pure so it can be tested and reasoned about:
 * - one key per product, holding the product with its revision (or a "stale up to revision R"
 *   marker after a change), so a slow reader can never put back an older copy;
 * - one generation counter; every query key (list, search, featured, categories) includes the
 *   generation it was computed under, so a single INCR on any change retires every cached
 *   query at once, and their old keys simply expire.
 */
import { canonicalJson, digest } from './query';
import type { QueryKind } from './ports';

export const CACHE_PREFIX = 'catalog:v1';

export const productKey = (productId: string): string => `${CACHE_PREFIX}:product:${productId}`;

export const generationKey = (): string => `${CACHE_PREFIX}:generation`;

/** The highest revision of a product the projection invalidated the cache for (a replay of it, or of an older one, invalidates nothing). */
export const invalidatedKey = (productId: string): string => `${CACHE_PREFIX}:invalidated:${productId}`;

/** The key of a query's cached answer: generation, kind and a digest of the normalized parameters. */
export function queryKey(generation: string, kind: QueryKind, params: Record<string, unknown>): string {
  return `${CACHE_PREFIX}:query:${generation}:${kind}:${digest(canonicalJson(params), 22)}`;
}
