/** QueryMetrics on Powertools Metrics (CloudWatch EMF): cache hits and misses, search latency. */
import type { QueryKind, QueryMetrics } from '../domain/ports';
import { metrics, MetricUnit } from '../../shared/powertools';

export class PowertoolsQueryMetrics implements QueryMetrics {
  cacheHit(_kind: QueryKind | 'product'): void {
    metrics.addMetric('CacheHits', MetricUnit.Count, 1);
  }

  cacheMiss(_kind: QueryKind | 'product'): void {
    metrics.addMetric('CacheMisses', MetricUnit.Count, 1);
  }

  searchLatency(ms: number, _kind: QueryKind | 'product'): void {
    metrics.addMetric('SearchLatency', MetricUnit.Milliseconds, Math.round(ms * 100) / 100);
  }
}
