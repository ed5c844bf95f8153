/**
 * NotificationMetrics on Powertools Metrics (CloudWatch EMF). The original service's Prometheus
 * series, as CloudWatch metrics in the platform's namespace:
 *
 * | original (Prometheus)                              | CloudWatch metric                | unit    | dimensions         |
 * | -------------------------------------------------- | -------------------------------- | ------- | ------------------ |
 * | `notifications_sent_total{type,status}`            | `NotificationsSent`              | Count   | `type`, `status`   |
 * | `notification_processing_duration_seconds{type}`   | `NotificationProcessingDuration` | Milliseconds | `type`        |
 *
 * `type` is the channel (email, sms, push), as in the original's notification types; `status`
 * is sent or failed. Each data point has its own dimension values, so each is a single-metric
 * EMF record (Powertools' singleMetric), beside the function's service dimension. Names and units
 * are the platform's metric list's (shared/metric-names.ts): durations in milliseconds, as every
 * other duration of the platform, which the Prometheus endpoint serves in seconds.
 */
import { METRICS } from '../../shared/metric-names';
import { metrics, MetricUnit } from '../../shared/powertools';
import type { Channel } from '../domain/channels';
import type { NotificationMetrics } from '../domain/ports';

export const METRIC_NAMES = {
  sent: METRICS.notificationsSent.name,
  duration: METRICS.notificationProcessingDuration.name,
} as const;

function point(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number, dimensions: Record<string, string>): void {
  const single = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
  single.addMetric(name, unit, value);
}

export class PowertoolsNotificationMetrics implements NotificationMetrics {
  sent(channel: Channel, status: 'sent' | 'failed'): void {
    point(METRIC_NAMES.sent, MetricUnit.Count, 1, { type: channel, status });
  }

  processed(channel: Channel, seconds: number): void {
    point(METRIC_NAMES.duration, MetricUnit.Milliseconds, Math.round(seconds * 1000), { type: channel });
  }
}
