/**
 * The read side's questions, independent of the search engine: filters, sort orders, pages
 * and the cursors that continue them. A cursor carries the sort values of the last item of a
 * page (for `search_after`) and a fingerprint of the question it belongs to, so a cursor used
 * with other filters or another sort is refused instead of silently paging something else.
 */
import { createHash } from 'node:crypto';
import { invalidCursorError } from '../../shared/cursor';

export const SORT_ORDERS = ['relevance', 'price_asc', 'price_desc', 'newest', 'popularity'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface Filters {
  category?: string;
  brand?: string;
  /** major units, inclusive */
  minPrice?: number;
  /** major units, inclusive */
  maxPrice?: number;
  inStock?: boolean;
  featured?: boolean;
  currency?: string;
}

export type SortValue = string | number | null;

export interface ListQuery {
  filters: Filters;
  sort: SortOrder;
  limit: number;
  /** sort values of the last item of the previous page */
  after?: SortValue[];
  facets: boolean;
}

export interface SearchQuery extends ListQuery {
  text: string;
}

export interface FacetBucket {
  value: string;
  count: number;
}

export interface PriceBucket {
  key: string;
  from?: number;
  to?: number;
  count: number;
}

export interface Facets {
  category: FacetBucket[];
  brand: FacetBucket[];
  price: PriceBucket[];
}

export interface CategoryCount {
  category: string;
  count: number;
}

/** Price ranges of the price facet, in major units ([from, to)). */
export const PRICE_RANGES: ReadonlyArray<{ key: string; from?: number; to?: number }> = [
  { key: 'under_25', to: 25 },
  { key: '25_50', from: 25, to: 50 },
  { key: '50_100', from: 50, to: 100 },
  { key: '100_250', from: 100, to: 250 },
  { key: '250_500', from: 250, to: 500 },
  { key: '500_1000', from: 500, to: 1000 },
  { key: '1000_plus', from: 1000 },
];

export type SortField = 'score' | 'price' | 'created_at' | 'popularity' | 'product_id';
export interface SortKey {
  field: SortField;
  order: 'asc' | 'desc';
}

/**
 * The keys a sort order sorts by, always ending with product_id: a total order, so that
 * `search_after` pages neither repeat nor skip items that tie on the earlier keys. Relevance
 * without query text has no score to sort by and falls back to newest first.
 */
export function sortKeys(sort: SortOrder, hasText: boolean): SortKey[] {
  const tiebreak: SortKey = { field: 'product_id', order: 'asc' };
  switch (sort) {
    case 'price_asc':
      return [{ field: 'price', order: 'asc' }, tiebreak];
    case 'price_desc':
      return [{ field: 'price', order: 'desc' }, tiebreak];
    case 'popularity':
      return [{ field: 'popularity', order: 'desc' }, tiebreak];
    case 'relevance':
      if (hasText) return [{ field: 'score', order: 'desc' }, tiebreak];
      return [{ field: 'created_at', order: 'desc' }, tiebreak];
    case 'newest':
      return [{ field: 'created_at', order: 'desc' }, tiebreak];
  }
}

/** JSON with object keys sorted and undefined members dropped: equal questions, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function digest(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/** What a cursor is bound to: the kind of query, its text, filters and sort (not the page size). */
export function queryFingerprint(kind: string, q: ListQuery & { text?: string }): string {
  return digest(canonicalJson({ kind, text: q.text?.trim().toLowerCase(), filters: q.filters, sort: q.sort }), 12);
}

/** The cursor's content for the next page (encoded on the wire by shared/cursor). */
export function cursorPosition(next: SortValue[], fingerprint: string): Record<string, unknown> {
  return { a: next, f: fingerprint };
}

/** Sort values from a decoded cursor, checked against the question it must belong to. */
export function afterFromCursor(position: Record<string, unknown> | undefined, fingerprint: string, keys: SortKey[]): SortValue[] | undefined {
  if (!position) return undefined;
  const { a, f } = position;
  if (f !== fingerprint) throw invalidCursorError('this cursor belongs to another query (filters, text or sort changed)');
  if (!Array.isArray(a) || a.length !== keys.length) throw invalidCursorError();
  for (const v of a) {
    if (v !== null && typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw invalidCursorError();
  }
  if (typeof a[a.length - 1] !== 'string') throw invalidCursorError();
  return a as SortValue[];
}
