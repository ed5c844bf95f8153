/**
 * Orders' consumer of `catalog-events` (consumer group `orders-prices`): keeps the price list
 * orders are priced from (use-cases/prices.ts). Why a projection rather than a call to the
 * catalog: see domain/pricing.ts.
 */
import { eventConsumer } from '../../shared/events/consumer';
import type { EventEnvelope } from '../../shared/events/envelope';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { priceStore } from '../dependencies';
import { applyCatalogEvent } from '../use-cases/prices';

const prices = priceStore();

export async function onCatalogEvent(event: EventEnvelope): Promise<void> {
  const result = await applyCatalogEvent(prices, event);
  if (result.outcome === 'applied') {
    metrics.addMetric('OrderPricesUpdated', MetricUnit.Count, 1);
    logger.debug('price updated', { product_id: result.productId, version: result.version, deleted: result.deleted });
  } else if (result.outcome === 'stale') {
    logger.info('older catalog event ignored', { product_id: result.productId, version: result.version, event_id: event.id });
  }
}

export const handler = eventConsumer(onCatalogEvent, { consumerName: 'orders-prices' });
