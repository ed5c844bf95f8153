/**
 * The platform's metrics: one list that the services' code, the CloudWatch dashboard and alarms
 * (lib/observability), the Prometheus names and the tests all read, so that a name is written
 * once. Names are CloudWatch's (PascalCase, in the `Ecommerce` namespace, with Powertools'
 * `service` dimension beside the ones listed); `prometheus` is the original platform's name for
 * the same series, which the local cloud's Prometheus endpoint serves (base units, `_total`
 * counters). Units are Powertools' MetricUnit values.
 */

export interface MetricDefinition {
  /** CloudWatch metric name */
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds' | 'None';
  /** dimensions besides `service` */
  readonly dimensions: readonly string[];
  /** what the value is, for the Prometheus exposition */
  readonly kind: 'counter' | 'gauge' | 'summary';
  /** the service that emits it (its `service` dimension) */
  readonly service: 'orders' | 'inventory' | 'catalog' | 'payments' | 'notifications' | 'platform';
  /** the original platform's Prometheus name, where it had one */
  readonly prometheus?: string;
}

const m = <K extends string>(defs: Record<K, MetricDefinition>): Record<K, MetricDefinition> => defs;

export const METRICS = m({
  ordersCreated: { name: 'OrdersCreated', unit: 'Count', dimensions: ['status'], kind: 'counter', service: 'orders', prometheus: 'orders_created_total{status}' },
  orderProcessingDuration: { name: 'OrderProcessingDuration', unit: 'Milliseconds', dimensions: [], kind: 'summary', service: 'orders', prometheus: 'order_processing_duration_seconds' },
  sagaExecutionDuration: { name: 'SagaExecutionDuration', unit: 'Milliseconds', dimensions: ['outcome'], kind: 'summary', service: 'orders', prometheus: 'saga_execution_duration_seconds' },
  activeOrders: { name: 'ActiveOrders', unit: 'Count', dimensions: [], kind: 'gauge', service: 'orders', prometheus: 'active_orders' },
  orderValue: { name: 'OrderValue', unit: 'None', dimensions: ['currency'], kind: 'summary', service: 'orders' },
  ordersEnded: { name: 'OrdersEnded', unit: 'Count', dimensions: ['outcome'], kind: 'counter', service: 'orders' },
  inventoryOperations: { name: 'InventoryOperations', unit: 'Count', dimensions: ['operation', 'status'], kind: 'counter', service: 'inventory', prometheus: 'inventory_operations_total{operation,status}' },
  inventoryReserved: { name: 'InventoryReserved', unit: 'Count', dimensions: ['product_id'], kind: 'counter', service: 'inventory', prometheus: 'inventory_reserved_total{product_id}' },
  inventoryLevel: { name: 'InventoryLevel', unit: 'Count', dimensions: ['product_id'], kind: 'gauge', service: 'inventory', prometheus: 'inventory_level{product_id}' },
  productsCreated: { name: 'ProductsCreated', unit: 'Count', dimensions: [], kind: 'counter', service: 'catalog', prometheus: 'products_created_total' },
  productsUpdated: { name: 'ProductsUpdated', unit: 'Count', dimensions: [], kind: 'counter', service: 'catalog' },
  searchQueries: { name: 'SearchQueries', unit: 'Count', dimensions: [], kind: 'counter', service: 'catalog', prometheus: 'search_queries_total' },
  cacheHits: { name: 'CacheHits', unit: 'Count', dimensions: [], kind: 'counter', service: 'catalog', prometheus: 'cache_hits_total' },
  cacheMisses: { name: 'CacheMisses', unit: 'Count', dimensions: [], kind: 'counter', service: 'catalog', prometheus: 'cache_misses_total' },
  searchDuration: { name: 'SearchDuration', unit: 'Milliseconds', dimensions: [], kind: 'summary', service: 'catalog', prometheus: 'search_duration_seconds' },
  paymentsProcessed: { name: 'PaymentsProcessed', unit: 'Count', dimensions: ['status'], kind: 'counter', service: 'payments', prometheus: 'payments_processed_total' },
  paymentsFailed: { name: 'PaymentsFailed', unit: 'Count', dimensions: ['reason'], kind: 'counter', service: 'payments', prometheus: 'payments_failed_total' },
  paymentAmounts: { name: 'PaymentAmounts', unit: 'None', dimensions: ['currency'], kind: 'summary', service: 'payments', prometheus: 'payment_amounts' },
  circuitBreakerState: { name: 'CircuitBreakerState', unit: 'None', dimensions: [], kind: 'gauge', service: 'payments', prometheus: 'circuit_breaker_state' },
  notificationsSent: { name: 'NotificationsSent', unit: 'Count', dimensions: ['type', 'status'], kind: 'counter', service: 'notifications', prometheus: 'notifications_sent_total{type,status}' },
  notificationProcessingDuration: { name: 'NotificationProcessingDuration', unit: 'Milliseconds', dimensions: ['type'], kind: 'summary', service: 'notifications', prometheus: 'notification_processing_duration_seconds{type}' },
  kafkaMessagesConsumed: { name: 'KafkaMessagesConsumed', unit: 'Count', dimensions: ['topic'], kind: 'counter', service: 'platform', prometheus: 'kafka_messages_consumed_total{topic}' },
});

export type MetricKey = keyof typeof METRICS;

/** The metrics namespace of every function (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Ecommerce';

/** Circuit breaker states as CircuitBreakerState reports them (the original's 0=Closed, 1=Open, 2=HalfOpen). */
export const CIRCUIT_BREAKER_STATE = { closed: 0, open: 1, half_open: 2 } as const;

/** Prometheus kinds by CloudWatch name, for the local cloud's exposition. */
export const PROMETHEUS_KINDS: Record<string, 'counter' | 'gauge' | 'summary'> = Object.fromEntries(Object.values(METRICS).map((d) => [d.name, d.kind]));
