/** QueryMetrics on Powertools Metrics (CloudWatch EMF): cache hits and misses, search duration. */
import type { QueryKind, QueryMetrics } from '../domain/ports';
import { METRICS } from '../../shared/metric-names';
import { metrics, MetricUnit } from '../../shared/powertools';

export class PowertoolsQueryMetrics implements QueryMetrics {
  cacheHit(_kind: QueryKind | 'product'): void {
    metrics.addMetric(METRICS.cacheHits.name, MetricUnit.Count, 1);
  }

  cacheMiss(_kind: QueryKind | 'product'): void {
    metrics.addMetric(METRICS.cacheMisses.name, MetricUnit.Count, 1);
  }

  // the original's search_duration_seconds
  searchLatency(ms: number, _kind: QueryKind | 'product'): void {
    metrics.addMetric(METRICS.searchDuration.name, MetricUnit.Milliseconds, Math.round(ms * 100) / 100);
  }
}
