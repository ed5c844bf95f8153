/**
 * What the catalog learns from other services: a consumer of `inventory-events` (stock levels)
 * and `order-events` (`order.confirmed`: units sold raise popularity). Each report changes the
 * product in the write model and emits a catalog event, which the search projection indexes.
 * Of a product's stock levels in one batch only the newest is applied (`latestOnly`): under a
 * burst of orders for one product a batch holds dozens of its levels, each of which was a write,
 * a catalog event and a re-index of a level already gone.
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import { eventConsumer } from '../../shared/events/consumer';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { productRepository } from '../dependencies';
import { popularitySignals, stockLevelKey, stockSignals } from '../domain/signals';
import { applyPopularitySignal, applyStockSignal, type SignalOutcome } from '../use-cases/signals';

const repo = productRepository();

function record(kind: string, productId: string, outcome: SignalOutcome, event: EventEnvelope) {
  if (outcome === 'applied') metrics.addMetric(kind === 'stock' ? 'CatalogStockUpdates' : 'CatalogPopularityUpdates', MetricUnit.Count, 1);
  else logger.info(`${kind} report not applied`, { product_id: productId, outcome, event_id: event.id, type: event.type });
}

export async function onSignalEvent(event: EventEnvelope): Promise<void> {
  for (const signal of stockSignals(event)) record('stock', signal.productId, await applyStockSignal(repo, signal, event.id), event);
  for (const signal of popularitySignals(event)) record('popularity', signal.productId, await applyPopularitySignal(repo, signal, event.id), event);
}

export const handler = eventConsumer(onSignalEvent, { consumerName: 'catalog-signals', latestOnly: stockLevelKey });
