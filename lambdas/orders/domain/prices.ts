/**
 * Orders' projection of the catalog's prices: what a catalog event (`catalog-events`, each
 * carrying the whole product view and its revision) means for the price list Orders prices
 * orders from. Read leniently, as another service's contract: an event without a product, a
 * price or a revision is ignored. The store keeps an entry only for a newer revision, so events
 * arriving twice or out of order never bring an old price back.
 */
import { z } from 'zod';
import type { EventEnvelope } from '../../shared/events/envelope';
import type { PriceEntry } from './pricing';

export const CATALOG_EVENT_PREFIX = 'catalog.product.';
export const CATALOG_DELETED = 'catalog.product.deleted';
/**
 * The catalog events the price list takes (its mapping's filter criteria): every one but the
 * catalog's stock and popularity reports, which change neither price nor name (they are the
 * bulk of the topic: two per order placed).
 */
export const PRICE_EVENT_TYPES = [{ 'anything-but': ['catalog.product.stock_changed', 'catalog.product.popularity_changed'] }];

const productData = z.object({
  product_id: z.string().min(1).max(128),
  name: z.string().max(500).default(''),
  price_minor: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  revision: z.number().int().min(1),
  deleted: z.boolean().optional(),
});

/** The price entry a catalog event carries; undefined for an event that carries none. */
export function priceFromCatalogEvent(event: EventEnvelope): PriceEntry | undefined {
  if (!event.type.startsWith(CATALOG_EVENT_PREFIX)) return undefined;
  const parsed = productData.safeParse(event.data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return {
    productId: d.product_id,
    name: d.name,
    priceMinor: d.price_minor,
    currency: d.currency,
    version: d.revision,
    deleted: event.type === CATALOG_DELETED || d.deleted === true,
    updatedAt: event.time,
  };
}

/** Whether `next` should replace `current` (a newer revision only). */
export const isNewer = (current: PriceEntry | undefined, next: PriceEntry): boolean => !current || next.version > current.version;
