/**
 * The ports through which the catalog's use cases reach the outside: the write model
 * (products and their events, atomically), the search index (write side: the projection;
 * read side: queries), the cache, and the metrics the queries report.
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { Product, ProductView } from './product';
import type { CategoryCount, Facets, ListQuery, SearchQuery, SortValue } from './query';

/** Expected state of the stored item for a conditional save: absent, or at this revision. */
export type Expected = { absent: true } | { revision: number };

export interface ProductRepository {
  /** Strongly consistent read; tombstones (deleted products) included. */
  get(productId: string): Promise<Product | undefined>;
  /**
   * Writes the product and its event in one transaction, if the stored item is as expected.
   * Throws StaleProductError when it is not, EventAlreadyRecordedError when the event id is
   * already in the outbox (the change was applied before).
   */
  save(product: Product, expected: Expected, event: EventEnvelope): Promise<void>;
  ping(): Promise<void>;
}

/** One write of the projection. `version` is the product revision (the index's external version). */
export type IndexAction =
  | { kind: 'index'; productId: string; routing: string; version: number; document: SearchDocument }
  | { kind: 'delete'; productId: string; routing: string; version: number };

/** applied: the index took it; stale: the index already holds this or a newer revision. */
export type IndexOutcome = 'applied' | 'stale';

export interface ProductIndexWriter {
  apply(action: IndexAction): Promise<IndexOutcome>;
}

/** A product as the search index holds it: the view plus the revision. */
export interface SearchDocument extends ProductView {
  revision: number;
}

/** A document found by a search, with the matched fragments of its fields. */
export interface SearchHit extends SearchDocument {
  highlight?: Record<string, string[]>;
}

export interface SearchPage {
  items: SearchHit[];
  total: number;
  /** sort values of the last item when more may follow */
  next?: SortValue[];
  facets?: Facets;
}

export interface ProductSearch {
  /** The indexed product, or undefined when the index does not (yet) hold it. */
  getById(productId: string): Promise<SearchDocument | undefined>;
  list(query: ListQuery): Promise<SearchPage>;
  search(query: SearchQuery): Promise<SearchPage>;
  categories(): Promise<CategoryCount[]>;
  ping(): Promise<void>;
}

/** A query cache read: the value on a hit, and the token a later fill must present. */
export interface CacheRead<T> {
  value?: T;
  /** the cache generation the read saw; a fill under it is dropped once the generation moves on */
  token: string | null;
}

export type QueryKind = 'list' | 'search' | 'featured' | 'categories';

/**
 * The query cache. Reads never throw (a failure is a miss); the projection's invalidations do,
 * so that it can count and log them.
 */
export interface ProductCache {
  getProduct(productId: string): Promise<SearchDocument | undefined>;
  /** Stores a product read unless the cache already knows a newer revision. */
  fillProduct(doc: SearchDocument): Promise<void>;
  getQuery<T>(kind: QueryKind, params: Record<string, unknown>): Promise<CacheRead<T>>;
  fillQuery(kind: QueryKind, params: Record<string, unknown>, token: string | null, value: unknown): Promise<void>;
  /**
   * Marks the product stale up to `revision` and moves every query key to a new generation, once
   * per revision: true when this call did, false when the cache was invalidated for this revision
   * (or a newer one) before, e.g. by the first delivery of a replayed event.
   */
  invalidate(productId: string, revision: number): Promise<boolean>;
  ping(): Promise<void>;
}

export interface QueryMetrics {
  cacheHit(kind: QueryKind | 'product'): void;
  cacheMiss(kind: QueryKind | 'product'): void;
  searchLatency(ms: number, kind: QueryKind | 'product'): void;
}
