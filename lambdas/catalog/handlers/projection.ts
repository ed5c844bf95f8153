/**
 * The search projection: a consumer of `catalog-events` (Kafka event source mapping, consumer
 * group catalog-projection) that keeps the OpenSearch index and the cache in step with the
 * write model. Events are handled once each (the shared consumer deduplicates by event id), in
 * order per product (the topic is keyed by product id).
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import { eventConsumer } from '../../shared/events/consumer';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { projectionDependencies } from '../dependencies';
import { MalformedEventError } from '../domain/errors';
import { projectCatalogEvent, type ProjectionDeps } from '../use-cases/projection';

const deps: ProjectionDeps = {
  ...projectionDependencies(),
  onInvalidationFailure: (err, productId) => {
    // The index is right; the cache's entries for it expire by their TTL.
    logger.error('cache invalidation failed', { product_id: productId, error: err as Error });
    metrics.addMetric('CacheInvalidationFailures', MetricUnit.Count, 1);
  },
};

export async function onCatalogEvent(event: EventEnvelope): Promise<void> {
  try {
    const result = await projectCatalogEvent(deps, event);
    if (result.outcome === 'applied') metrics.addMetric('ProjectionApplied', MetricUnit.Count, 1);
    if (result.outcome === 'stale') {
      logger.info('older event ignored: the index holds a newer revision', { event_id: event.id, type: event.type, subject: event.subject });
      metrics.addMetric('ProjectionStale', MetricUnit.Count, 1);
    }
  } catch (err) {
    if (!(err instanceof MalformedEventError)) throw err; // the batch is retried
    // Retrying cannot fix it: log, count, and let the next events through.
    logger.error('dropping a catalog event that carries no product', { event_id: event.id, type: event.type, reason: err.issues });
    metrics.addMetric('ProjectionMalformedEvents', MetricUnit.Count, 1);
  }
}

export const handler = eventConsumer(onCatalogEvent, { consumerName: 'catalog-projection' });
