/**
 * What Inventory takes from the catalog's events: a product created with stock > 0 brings that
 * stock into Inventory, as a restock of the product by that amount. Other events, and creations
 * without stock, change nothing. Each event is handled once (the consumer deduplicates by event
 * id), so a redelivered creation does not restock twice.
 */
import { z } from 'zod';
import { systemClock, type Clock } from '../../shared/clock';
import type { EventEnvelope } from '../../shared/events/envelope';
import type { StockRepository } from '../domain/ports';
import { MAX_QUANTITY } from '../domain/stock';
import { restock } from './stock';

export const PRODUCT_CREATED = 'catalog.product.created';

const createdData = z.object({
  product_id: z.string().min(1).max(128),
  stock: z.number().int().min(0).max(MAX_QUANTITY),
});

export type CatalogEventOutcome =
  | { outcome: 'ignored' }
  /** a creation without a product id and stock: nothing to do, and retrying will not help */
  | { outcome: 'malformed' }
  | { outcome: 'restocked'; productId: string; quantity: number; available: number };

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
  const after = await restock(repo, product_id, stock, clock, 'initial stock of a new catalog product');
  return { outcome: 'restocked', productId: product_id, quantity: stock, available: after.available };
}
