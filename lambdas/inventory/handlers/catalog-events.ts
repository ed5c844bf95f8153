/**
 * Inventory's consumer of `catalog-events`: a new product's stock from its creation event (see
 * use-cases/catalog-events.ts).
 */
import { eventConsumer } from '../../shared/events/consumer';
import type { EventEnvelope } from '../../shared/events/envelope';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { stockRepository } from '../dependencies';
import { stockFromCatalogEvent } from '../use-cases/catalog-events';

export async function onCatalogEvent(event: EventEnvelope): Promise<void> {
  const result = await stockFromCatalogEvent(stockRepository, event);
  if (result.outcome === 'malformed') {
    logger.error('catalog.product.created without a product id and stock; ignored', { event_id: event.id });
  } else if (result.outcome === 'restocked') {
    logger.info('initial stock from the catalog', { product_id: result.productId, quantity: result.quantity, available: result.available, event_id: event.id });
    metrics.addMetric('InventoryUnitsRestocked', MetricUnit.Count, result.quantity);
  } else if (result.outcome === 'duplicate') {
    logger.info('catalog event already applied; nothing restocked', { product_id: result.productId, event_id: event.id });
  }
}

export const handler = eventConsumer(onCatalogEvent, { consumerName: 'inventory-catalog-events' });
