/**
 * The Grafana dashboard of the Docker path (docker/grafana/dashboards/ecommerce-platform.json),
 * the CloudWatch dashboard's equivalent over the local cloud's Prometheus endpoint: the same
 * fifteen panels, in PromQL on the names the endpoint serves (the original platform's). The JSON
 * file is generated from this module (`npx tsx scripts/grafana-dashboard.ts`) and a test checks
 * that it is current.
 */
import { METRICS } from '../../lambdas/shared/metric-names';
import { DASHBOARD_WIDGETS } from './index';

type Title = (typeof DASHBOARD_WIDGETS)[number];

/** The Prometheus name of a metric (the original's, without its labels). */
const p = (key: keyof typeof METRICS) => METRICS[key].prometheus?.replace(/\{.*$/, '') ?? '';
const inc = (name: string, by = '') => `sum(increase(${name}[5m]))${by}`;

export const GRAFANA_PANELS: Record<Title, { unit: string; targets: Array<{ expr: string; legend: string }> }> = {
  'Total orders created': { unit: 'short', targets: [{ expr: inc(p('ordersCreated'), ' by (status)'), legend: '{{status}}' }] },
  'Order success rate': {
    unit: 'percent',
    targets: [{ expr: `100 * sum(increase(orders_ended_total{outcome="COMPLETED"}[5m])) / sum(increase(orders_ended_total[5m]))`, legend: 'success rate' }],
  },
  'Active orders': { unit: 'short', targets: [{ expr: `max(${p('activeOrders')})`, legend: 'active' }] },
  'Average order value': { unit: 'short', targets: [{ expr: 'sum(increase(order_value_sum[1h])) / sum(increase(order_value_count[1h]))', legend: 'average' }] },
  'Order processing duration (p95)': { unit: 's', targets: [{ expr: `max(${p('orderProcessingDuration')}{quantile="0.95"})`, legend: 'p95' }] },
  'Saga execution duration': {
    unit: 's',
    targets: [
      { expr: `max(${p('sagaExecutionDuration')}{quantile="0.5"}) by (outcome)`, legend: 'p50 {{outcome}}' },
      { expr: `max(${p('sagaExecutionDuration')}{quantile="0.95"}) by (outcome)`, legend: 'p95 {{outcome}}' },
    ],
  },
  'Inventory operations rate': { unit: 'ops', targets: [{ expr: `sum(rate(${p('inventoryOperations')}[5m])) by (operation, status)`, legend: '{{operation}} {{status}}' }] },
  'Payment success rate': {
    unit: 'percent',
    targets: [{ expr: `100 * sum(increase(${p('paymentsProcessed')}{status="CAPTURED"}[5m])) / ${inc(p('paymentsProcessed'))}`, legend: 'success rate' }],
  },
  'Circuit breaker state': { unit: 'short', targets: [{ expr: `max(${p('circuitBreakerState')})`, legend: '0 closed, 1 open, 2 half-open' }] },
  'Products created/updated rate': {
    unit: 'ops',
    targets: [
      { expr: `sum(rate(${p('productsCreated')}[5m]))`, legend: 'created' },
      { expr: 'sum(rate(products_updated_total[5m]))', legend: 'updated' },
    ],
  },
  'Search query latency (p95)': { unit: 's', targets: [{ expr: `max(${p('searchDuration')}{quantile="0.95"})`, legend: 'p95' }] },
  'Cache hit/miss ratio': { unit: 'percent', targets: [{ expr: `100 * ${inc(p('cacheHits'))} / (${inc(p('cacheHits'))} + ${inc(p('cacheMisses'))})`, legend: 'hit ratio' }] },
  'Notifications sent by type': { unit: 'short', targets: [{ expr: inc(p('notificationsSent'), ' by (type, status)'), legend: '{{type}} {{status}}' }] },
  'Kafka message consumption rate': {
    unit: 'ops',
    targets: [
      { expr: `sum(rate(${p('kafkaMessagesConsumed')}[5m])) by (topic)`, legend: '{{topic}}' },
      { expr: 'sum(kafka_consumergroup_lag) by (consumergroup, topic)', legend: 'lag {{consumergroup}} {{topic}}' },
    ],
  },
  'Service health status': {
    unit: 'short',
    targets: [
      { expr: 'sum(increase(aws_api_gateway_5xx_error_total[5m]))', legend: 'API 5xx' },
      { expr: 'sum(increase(aws_lambda_errors_total[5m])) by (function_name)', legend: 'errors {{function_name}}' },
      { expr: 'sum(increase(aws_lambda_invocations_total[5m]))', legend: 'invocations' },
    ],
  },
};

export function grafanaDashboard(): Record<string, unknown> {
  return {
    uid: 'ecommerce-platform',
    title: 'E-commerce platform',
    tags: ['ecommerce'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    refresh: '10s',
    time: { from: 'now-1h', to: 'now' },
    panels: DASHBOARD_WIDGETS.map((title, i) => ({
      id: i + 1,
      type: 'timeseries',
      title,
      gridPos: { h: 8, w: 8, x: (i % 3) * 8, y: Math.floor(i / 3) * 8 },
      datasource: { type: 'prometheus', uid: 'prometheus' },
      fieldConfig: { defaults: { unit: GRAFANA_PANELS[title].unit }, overrides: [] },
      targets: GRAFANA_PANELS[title].targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legend, datasource: { type: 'prometheus', uid: 'prometheus' } })),
    })),
  };
}
