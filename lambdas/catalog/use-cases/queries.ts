/**
 * The catalog's queries: cache first, then the search index; for one product, the write model
 * when the index does not hold it yet (right after its creation) or cannot answer. Every answer
 * is cached: a product under its revision, a page under the cache generation it was computed in.
 * Cache trouble is a miss; search trouble is a 503 (one product still answers from the write
 * model).
 */
import { encodeCursor } from '../../shared/cursor';
import { ProductNotFoundError, ReadModelUnavailableError } from '../domain/errors';
import type { ProductCache, ProductRepository, ProductSearch, QueryKind, QueryMetrics, SearchDocument, SearchHit, SearchPage } from '../domain/ports';
import { productView, type ProductView } from '../domain/product';
import {
  afterFromCursor,
  cursorPosition,
  queryFingerprint,
  sortKeys,
  type CategoryCount,
  type Facets,
  type Filters,
  type ListQuery,
  type SortOrder,
} from '../domain/query';

export interface QueryDeps {
  search: ProductSearch;
  cache: ProductCache;
  products: Pick<ProductRepository, 'get'>;
  metrics: QueryMetrics;
}

export type ProductItem = ProductView & { highlight?: Record<string, string[]> };

export interface PageResponse {
  items: ProductItem[];
  count: number;
  total: number;
  next_cursor: string | null;
  facets?: Facets;
}

export interface PageRequest {
  filters: Filters;
  sort?: SortOrder;
  limit: number;
  /** the decoded cursor, if any */
  cursor?: Record<string, unknown>;
  facets?: boolean;
}

/** A search document as the API shows it (the revision is internal). */
export function itemOf(doc: SearchDocument | SearchHit): ProductItem {
  const { revision: _revision, ...view } = doc as SearchHit;
  return view;
}

async function timed<T>(deps: QueryDeps, kind: QueryKind | 'product', run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    deps.metrics.searchLatency(performance.now() - started, kind);
  }
}

async function fromIndex<T>(deps: QueryDeps, kind: QueryKind, run: () => Promise<T>): Promise<T> {
  try {
    return await timed(deps, kind, run);
  } catch (err) {
    throw new ReadModelUnavailableError('search is unavailable right now; retry shortly', err);
  }
}

/** Where an answer came from: the cache, the search index, or the write model. */
export type AnswerSource = 'cache' | 'index' | 'table';

/**
 * One product:
 * 1. the cache; 2. the index (then cached); 3. the write model, for a product the index does not
 * hold yet or when the index fails (then cached too: it is the same revision the index will get).
 */
export async function getProduct(deps: QueryDeps, productId: string): Promise<{ product: ProductView; source: AnswerSource }> {
  const cached = await deps.cache.getProduct(productId);
  if (cached) {
    deps.metrics.cacheHit('product');
    return { product: itemOf(cached), source: 'cache' };
  }
  deps.metrics.cacheMiss('product');
  let doc: SearchDocument | undefined;
  let source: AnswerSource = 'index';
  try {
    doc = await timed(deps, 'product', () => deps.search.getById(productId));
  } catch {
    doc = undefined; // the write model answers below
  }
  if (!doc) {
    const stored = await deps.products.get(productId);
    if (!stored || stored.deleted) throw new ProductNotFoundError(productId);
    doc = { ...productView(stored), revision: stored.revision };
    source = 'table';
  }
  await deps.cache.fillProduct(doc);
  return { product: itemOf(doc), source };
}

async function cachedQuery<T>(deps: QueryDeps, kind: QueryKind, params: Record<string, unknown>, compute: () => Promise<T>): Promise<T> {
  const read = await deps.cache.getQuery<T>(kind, params);
  if (read.value !== undefined) {
    deps.metrics.cacheHit(kind);
    return read.value;
  }
  deps.metrics.cacheMiss(kind);
  const value = await compute();
  await deps.cache.fillQuery(kind, params, read.token, value);
  return value;
}

function pageResponse(page: SearchPage, fingerprint: string): PageResponse {
  return {
    items: page.items.map(itemOf),
    count: page.items.length,
    total: page.total,
    next_cursor: page.next ? encodeCursor(cursorPosition(page.next, fingerprint)) : null,
    ...(page.facets ? { facets: page.facets } : {}),
  };
}

function listQueryOf(kind: QueryKind, req: PageRequest, defaultSort: SortOrder, text?: string): { query: ListQuery; fingerprint: string } {
  const sort = req.sort ?? defaultSort;
  const base: ListQuery = { filters: req.filters, sort, limit: req.limit, facets: req.facets ?? false };
  const fingerprint = queryFingerprint(kind, { ...base, text });
  const after = afterFromCursor(req.cursor, fingerprint, sortKeys(sort, text !== undefined));
  return { query: { ...base, after }, fingerprint };
}

/** A page of products matching the filters, in the requested order (newest first by default). */
export async function listProducts(deps: QueryDeps, req: PageRequest): Promise<PageResponse> {
  const { query, fingerprint } = listQueryOf('list', req, 'newest');
  return cachedQuery(deps, 'list', { ...query }, async () => pageResponse(await fromIndex(deps, 'list', () => deps.search.list(query)), fingerprint));
}

/** Full-text search with typo tolerance, filters, facets and highlights (best match first by default). */
export async function searchProducts(deps: QueryDeps, text: string, req: PageRequest): Promise<PageResponse> {
  const normalized = text.trim().replace(/\s+/g, ' ');
  const { query, fingerprint } = listQueryOf('search', { ...req, facets: req.facets ?? true }, 'relevance', normalized);
  const params = { ...query, text: normalized.toLowerCase() };
  return cachedQuery(deps, 'search', params, async () =>
    pageResponse(await fromIndex(deps, 'search', () => deps.search.search({ ...query, text: normalized })), fingerprint),
  );
}

/** Featured products, most popular first. */
export async function featuredProducts(deps: QueryDeps, req: Omit<PageRequest, 'sort' | 'facets'>): Promise<PageResponse> {
  const { query, fingerprint } = listQueryOf('featured', { ...req, filters: { ...req.filters, featured: true }, sort: 'popularity' }, 'popularity');
  return cachedQuery(deps, 'featured', { ...query }, async () => pageResponse(await fromIndex(deps, 'featured', () => deps.search.list(query)), fingerprint));
}

/** Every category with its number of products. */
export async function listCategories(deps: QueryDeps): Promise<{ items: CategoryCount[]; count: number }> {
  return cachedQuery(deps, 'categories', {}, async () => {
    const items = await fromIndex(deps, 'categories', () => deps.search.categories());
    return { items, count: items.length };
  });
}
