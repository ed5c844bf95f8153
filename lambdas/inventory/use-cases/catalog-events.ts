/**
 * What Inventory takes from the catalog's events: a product created with stock > 0 brings that
 * stock into Inventory, as a restock of the product by that amount. Other events, and creations
 * without stock, change nothing. The restock and the record of the event that caused it are one
 * atomic write (StockRepository.restockFor), so a creation redelivered after a crash (past the
 * consumer's deduplication, e.g. a crash between the restock and the dedup record) does not
 * restock twice.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../shared/clock';
import type { EventEnvelope } from '../../shared/events/envelope';
import type { StockRepository } from '../domain/ports';
import { MAX_QUANTITY } from '../domain/stock';

export const PRODUCT_CREATED = 'catalog.product.created';
/** The catalog events Inventory takes (its mapping's filter criteria): a new product's initial stock. */
export const INVENTORY_CATALOG_EVENT_TYPES = [PRODUCT_CREATED];

const createdData = z.object({
  product_id: z.string().min(1).max(128),
  stock: z.number().int().min(0).max(MAX_QUANTITY),
});

export type CatalogEventOutcome =
  | { outcome: 'ignored' }
  /** a creation without a product id and stock: nothing to do, and retrying will not help */
  | { outcome: 'malformed' }
  | { outcome: 'restocked'; productId: string; quantity: number; available: number }
  /** the event was applied before: nothing changed */
  | { outcome: 'duplicate'; productId: string };

/**
 * 1. only `catalog.product.created` matters;
 * 2. its data must name the product and its stock;
 * 3. a stock above zero is restocked.
 */
export async function stockFromCatalogEvent(repo: StockRepository, event: EventEnvelope, clock: Clock = systemClock): Promise<CatalogEventOutcome> {
  if (event.type !== PRODUCT_CREATED) return { outcome: 'ignored' };
  const parsed = createdData.safeParse(event.data);
  if (!parsed.success) return { outcome: 'malformed' };
  const { product_id, stock } = parsed.data;
  if (stock === 0) return { outcome: 'ignored' };
  const { item, changed } = await repo.restockFor(event.id, product_id, stock, clock(), 'initial stock of a new catalog product');
  if (!changed) return { outcome: 'duplicate', productId: product_id };
  return { outcome: 'restocked', productId: product_id, quantity: stock, available: item.available };
}
