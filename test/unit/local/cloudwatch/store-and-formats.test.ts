import { extractEmf, type EmfStats } from '../../../../local/cloudwatch/emf';
import { prometheusName, renderPrometheus, snake } from '../../../../local/cloudwatch/prometheus';
import { periods, statOf } from '../../../../local/cloudwatch/statistics';
import { MetricStore } from '../../../../local/cloudwatch/store';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('statistics', () => {
  it('computes CloudWatch statistics and nearest-rank percentiles over counted values', () => {
    const store = new MetricStore({ now: () => T0 + 60_000 });
    store.add('S', 'm', [], [{ t: T0, v: 1 }, { t: T0 + 1, v: 10, c: 3 }, { t: T0 + 2, v: 100 }, { t: T0 + 61_000, v: 7 }]);
    const [first, second] = periods(store, store.get('S', 'm', [])!, T0, T0 + 120_000, 60);
    expect([first!.t, second!.t]).toEqual([T0, T0 + 60_000]);
    const b = first!.bucket;
    expect(['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p50', 'p80', 'p100'].map((s) => statOf(b, s))).toEqual([5, 131, 26.2, 1, 100, 10, 10, 100]);
  });

  it('drops samples past retention and keeps a running total', () => {
    let now = T0;
    const store = new MetricStore({ now: () => now, retentionMs: 60_000 });
    store.add('S', 'c', [{ Name: 'b', Value: '2' }, { Name: 'a', Value: '1' }], [{ t: T0, v: 2 }]);
    now = T0 + 120_000;
    store.add('S', 'c', [{ Name: 'a', Value: '1' }, { Name: 'b', Value: '2' }], [{ t: now, v: 3 }]);
    const s = store.get('S', 'c', [{ Name: 'a', Value: '1' }, { Name: 'b', Value: '2' }])!;
    expect([s.t.length - s.head, s.total, s.totalCount, s.dimensions.map((d) => d.Name)]).toEqual([1, 5, 2, ['a', 'b']]);
  });
});

describe('EMF', () => {
  it('takes each directive, dimension set and value of a Powertools line behind the runtime prefix', () => {
    const store = new MetricStore({ now: () => T0 });
    const stats: EmfStats = { lines: 0, datapoints: 0, rejected: 0 };
    const line = `2026-11-30T12:00:00.000Z\trid\tINFO\t${JSON.stringify({
      _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'Ecommerce', Dimensions: [['service'], ['service', 'status']], Metrics: [{ Name: 'OrdersCreated', Unit: 'Count' }, { Name: 'Latency', Unit: 'Milliseconds', StorageResolution: 1 }] }] },
      service: 'orders',
      status: 'confirmed',
      OrdersCreated: 1,
      Latency: [12, 30],
    })}`;
    expect(extractEmf(line, store, stats)).toBe(6);
    expect(store.get('Ecommerce', 'OrdersCreated', [{ Name: 'service', Value: 'orders' }, { Name: 'status', Value: 'confirmed' }])!.v).toEqual([1]);
    const latency = store.get('Ecommerce', 'Latency', [{ Name: 'service', Value: 'orders' }])!;
    expect([latency.v, latency.unit, latency.highResolution]).toEqual([[12, 30], 'Milliseconds', true]);
    expect(extractEmf('START RequestId: x', store, stats)).toBe(0);
    expect(extractEmf(JSON.stringify({ _aws: { CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [['missing']], Metrics: [{ Name: 'M' }] }] }, M: 1 }), store, stats)).toBe(0);
    expect(stats).toEqual({ lines: 2, datapoints: 6, rejected: 1 });
  });
});

describe('Prometheus names', () => {
  it.each([
    ['Ecommerce', 'OrdersCreated', 'Count', '', 'orders_created'],
    ['Ecommerce', 'OrderProcessingDuration', 'Milliseconds', '', 'order_processing_duration_seconds'],
    ['Ecommerce', 'SearchLatencyMs', 'Milliseconds', '', 'search_latency_seconds'],
    ['AWS/ApiGateway', '5XXError', 'Count', undefined, 'aws_api_gateway_5xx_error'],
    ['Shop', 'PayloadSize', 'Kilobytes', undefined, 'shop_payload_size_bytes'],
  ])('%s %s (%s) -> %s', (ns, name, unit, prefix, expected) => {
    expect(prometheusName(ns, name, unit, prefix ?? snake(ns)).name).toBe(expected);
  });

  it('renders counters, gauges and summaries in base units', () => {
    const store = new MetricStore({ now: () => T0 });
    store.add('Ecommerce', 'OrdersCreated', [{ Name: 'status', Value: 'confirmed' }], [{ t: T0, v: 2 }, { t: T0, v: 1 }], 'Count');
    store.add('Ecommerce', 'ActiveOrders', [], [{ t: T0, v: 5 }, { t: T0, v: 4 }], 'Count');
    store.add('Ecommerce', 'OrderProcessingDuration', [], [{ t: T0, v: 100 }, { t: T0, v: 300 }], 'Milliseconds');
    const text = renderPrometheus(store, { kinds: { ActiveOrders: 'gauge' }, prefixes: { Ecommerce: '' } });
    expect(text.split('\n')).toEqual([
      '# HELP active_orders Ecommerce ActiveOrders (Count)',
      '# TYPE active_orders gauge',
      'active_orders 4',
      '# HELP order_processing_duration_seconds Ecommerce OrderProcessingDuration (Milliseconds)',
      '# TYPE order_processing_duration_seconds summary',
      'order_processing_duration_seconds{quantile="0.5"} 0.1',
      'order_processing_duration_seconds{quantile="0.9"} 0.3',
      'order_processing_duration_seconds{quantile="0.95"} 0.3',
      'order_processing_duration_seconds{quantile="0.99"} 0.3',
      'order_processing_duration_seconds_sum 0.4',
      'order_processing_duration_seconds_count 2',
      '# HELP orders_created_total Ecommerce OrdersCreated (Count)',
      '# TYPE orders_created_total counter',
      'orders_created_total{status="confirmed"} 3',
      '',
    ]);
  });
});
