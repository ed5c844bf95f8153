/**
 * Inventory's consumer of `catalog-events`: a product created with stock > 0 brings that stock
 * into Inventory (a restock of the product by that amount). The shared consumer handles each
 * event once (deduplication by event id), so a redelivered creation does not restock twice.
 */
import { z } from 'zod';
import { eventConsumer } from '../../shared/events/consumer';
import type { EventEnvelope } from '../../shared/events/envelope';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { stockRepository } from '../dependencies';
import type { StockRepository } from '../domain/repository';
import { MAX_QUANTITY } from '../domain/stock';
import { restock } from '../use-cases';

export const PRODUCT_CREATED = 'catalog.product.created';

const createdData = z.object({
  product_id: z.string().min(1).max(128),
  stock: z.number().int().min(0).max(MAX_QUANTITY),
});

/** The handler over any stock repository (the Lambda's is DynamoDB; unit tests pass the in-memory one). */
export function catalogEventHandler(repo: StockRepository) {
  return async (event: EventEnvelope): Promise<void> => {
    if (event.type !== PRODUCT_CREATED) return;
    const parsed = createdData.safeParse(event.data);
    if (!parsed.success) {
      logger.error('catalog.product.created without a product id and stock; ignored', { event_id: event.id });
      return;
    }
    const { product_id, stock } = parsed.data;
    if (stock === 0) return;
    const after = await restock(repo, product_id, stock, undefined, 'initial stock of a new catalog product');
    logger.info('initial stock from the catalog', { product_id, quantity: stock, available: after.available, event_id: event.id });
    metrics.addMetric('InventoryUnitsRestocked', MetricUnit.Count, stock);
  };
}

export const handler = eventConsumer(catalogEventHandler(stockRepository), { consumerName: 'inventory-catalog-events' });
