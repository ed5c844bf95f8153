/**
 * The catalog's events on `catalog-events`, keyed by product id. Each carries the full product
 * view at the change, with its revision (the order of changes), so that a consumer never needs
 * to read the catalog back: the search projection indexes `data` as it is, Inventory takes the
 * creation stock from `catalog.product.created`.
 */
import { createHash } from 'node:crypto';
import { newEvent, type EventEnvelope } from '../../shared/events/envelope';
import { productView, type PatchField, type Product, type ProductView } from './product';

export const CATALOG_SOURCE = 'catalog';

export const CATALOG_EVENTS = {
  created: 'catalog.product.created',
  updated: 'catalog.product.updated',
  deleted: 'catalog.product.deleted',
  stockChanged: 'catalog.product.stock_changed',
  popularityChanged: 'catalog.product.popularity_changed',
} as const;

export type CatalogEventType = (typeof CATALOG_EVENTS)[keyof typeof CATALOG_EVENTS];

export interface ProductEventData extends ProductView {
  revision: number;
  /** on catalog.product.updated: what the update changed (snake_case field names) */
  changed_fields?: string[];
  /** on catalog.product.updated when the category changed: the document must leave that routing */
  previous_category?: string;
  /** on catalog.product.deleted */
  deleted?: true;
}

const SNAKE: Record<PatchField, string> = {
  name: 'name',
  description: 'description',
  priceMinor: 'price_minor',
  currency: 'currency',
  category: 'category',
  brand: 'brand',
  tags: 'tags',
  images: 'images',
  attributes: 'attributes',
  featured: 'featured',
};

export function productEventData(p: Product, extra: Partial<Pick<ProductEventData, 'changed_fields' | 'previous_category' | 'deleted'>> = {}): ProductEventData {
  return { ...productView(p), revision: p.revision, ...extra };
}

export function createdEvent(p: Product): EventEnvelope<ProductEventData> {
  return newEvent(CATALOG_SOURCE, CATALOG_EVENTS.created, p.productId, productEventData(p), { time: p.updatedAt });
}

export function updatedEvent(previous: Product, next: Product, changed: PatchField[]): EventEnvelope<ProductEventData> {
  const extra: Partial<ProductEventData> = { changed_fields: changed.map((f) => SNAKE[f]) };
  if (previous.category !== next.category) extra.previous_category = previous.category;
  return newEvent(CATALOG_SOURCE, CATALOG_EVENTS.updated, next.productId, productEventData(next, extra), { time: next.updatedAt });
}

export function deletedEvent(tombstone: Product): EventEnvelope<ProductEventData> {
  return newEvent(CATALOG_SOURCE, CATALOG_EVENTS.deleted, tombstone.productId, productEventData(tombstone, { deleted: true }), { time: tombstone.updatedAt });
}

/**
 * An event caused by another service's event (a stock report, an order). Its id is derived from
 * the cause, so handling the cause twice writes the same outbox item twice, which the outbox's
 * condition refuses: the change is applied once even if the consumer's own dedup record was lost.
 */
export function derivedEventId(cause: string, productId: string, kind: string): string {
  const h = createHash('sha256').update(`${kind}\u0000${cause}\u0000${productId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function stockChangedEvent(p: Product, causeId: string): EventEnvelope<ProductEventData> {
  return newEvent(CATALOG_SOURCE, CATALOG_EVENTS.stockChanged, p.productId, productEventData(p), {
    id: derivedEventId(causeId, p.productId, 'stock'),
    time: p.updatedAt,
  });
}

export function popularityChangedEvent(p: Product, causeId: string): EventEnvelope<ProductEventData> {
  return newEvent(CATALOG_SOURCE, CATALOG_EVENTS.popularityChanged, p.productId, productEventData(p), {
    id: derivedEventId(causeId, p.productId, 'popularity'),
    time: p.updatedAt,
  });
}
