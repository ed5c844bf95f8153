/**
 * Observability in the template: tracing everywhere, the dashboard of the original's fifteen
 * metrics, and alarms whose metrics are ones the code emits (names read from the metric-name
 * module and found in the functions' sources) or ones AWS publishes (and the local cloud records).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METRICS, METRICS_NAMESPACE } from '../../lambdas/shared/metric-names';
import { buildApp } from '../../lib/app';
import { METRICS_NAMESPACE as CDK_NAMESPACE } from '../../lib/config';
import { DASHBOARD_WIDGETS } from '../../lib/observability';
import { grafanaDashboard } from '../../lib/observability/grafana';
import { DASHBOARD_FILE } from '../../scripts/grafana-dashboard';
import { PUBLISHED } from '../../local/cloudwatch/aws-metrics';
import { TEMPLATE_ONLY } from '../support/synth';

const { app, stateless } = buildApp({ outdir: mkdtempSync(path.join(os.tmpdir(), 'cdk-obs-')), context: TEMPLATE_ONLY });
app.synth();
const template = Template.fromStack(stateless);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** Every .ts source under lambdas/, as text. */
function sources(dir = path.join(__dirname, '..', '..', 'lambdas')): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}
const code = sources().join('\n');

/** A Fn::Join'd string with its tokens as `<token>`. */
function joined(v: unknown): string {
  if (typeof v === 'string') return v;
  const join = (v as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((p) => (typeof p === 'string' ? p : '<token>')).join(join[0]);
  return JSON.stringify(v);
}

describe('tracing', () => {
  it('is active on every function', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns.length).toBeGreaterThan(0);
    for (const [id, fn] of fns) expect([id, fn.Properties.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
  });

  it('is on for the API stage', () => {
    const stages = ofType('AWS::ApiGateway::Stage');
    expect(stages.length).toBe(1);
    expect(stages[0]![1].Properties.TracingEnabled).toBe(true);
  });

  it('is on for every state machine', () => {
    for (const [id, m] of ofType('AWS::StepFunctions::StateMachine')) expect([id, m.Properties.TracingConfiguration]).toEqual([id, { Enabled: true }]);
  });
});

describe('metric names', () => {
  it('are in the namespace the functions are given', () => {
    expect(METRICS_NAMESPACE).toBe(CDK_NAMESPACE);
  });

  it('name each of the original platform metrics once', () => {
    const names = Object.values(METRICS).map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.values(METRICS).filter((m) => m.prometheus).map((m) => m.prometheus!.replace(/\{.*$/, ''))).toEqual([
      'orders_created_total',
      'order_processing_duration_seconds',
      'saga_execution_duration_seconds',
      'active_orders',
      'inventory_operations_total',
      'inventory_reserved_total',
      'inventory_level',
      'products_created_total',
      'search_queries_total',
      'cache_hits_total',
      'cache_misses_total',
      'search_duration_seconds',
      'payments_processed_total',
      'payments_failed_total',
      'payment_amounts',
      'circuit_breaker_state',
      'notifications_sent_total',
      'notification_processing_duration_seconds',
      'kafka_messages_consumed_total',
    ]);
  });
});

describe('dashboard', () => {
  it('has a widget for each of the original fifteen, in the README order', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards.length).toBe(1);
    expect(dashboards[0]![1].Properties.DashboardName).toBe('ecommerce-platform');
    const body = joined(dashboards[0]![1].Properties.DashboardBody);
    const titles = [...body.matchAll(/"title":"([^"]+)"/g)].map((m) => m[1]);
    expect(titles).toEqual([...DASHBOARD_WIDGETS]);
    expect(DASHBOARD_WIDGETS).toHaveLength(15);
  });
});

describe('Grafana dashboard (Docker path)', () => {
  it('is the generated one, with the same fifteen panels as the CloudWatch dashboard', () => {
    const committed = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(committed).toEqual(grafanaDashboard());
    expect(committed.panels.map((p) => p.title)).toEqual([...DASHBOARD_WIDGETS]);
    for (const panel of committed.panels) expect([panel.title, panel.targets.length > 0]).toEqual([panel.title, true]);
  });
});

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const topics = ofType('AWS::SNS::Topic').filter(([, t]) => t.Properties.DisplayName === 'E-commerce platform alarms');

  it('are the six the platform needs, each telling the alarm topic when it fires and when it clears', () => {
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      ['ecommerce-api5xx-rate', 'ecommerce-circuit-breaker-open', 'ecommerce-kafka-offset-lag', 'ecommerce-on-failure-queue-not-empty', 'ecommerce-order-latency-p95', 'ecommerce-saga-failure-rate']
        .filter((n) => n !== 'ecommerce-saga-failure-rate' || ofType('AWS::StepFunctions::StateMachine').length > 0)
        .sort(),
    );
    expect(topics.length).toBe(1);
    const topicRef = { Ref: topics[0]![0] };
    for (const a of alarms) {
      expect([a.AlarmName, a.AlarmActions, a.OKActions]).toEqual([a.AlarmName, [topicRef], [topicRef]]);
      expect(a.TreatMissingData).toBe('notBreaching');
    }
  });

  it('watch metrics that a function emits (by the shared names, used in the code) or that AWS publishes (and the local cloud records)', () => {
    const byName = new Map(Object.entries(METRICS).map(([key, m]) => [m.name, key]));
    const watched = alarms.flatMap((a) =>
      a.Metrics
        ? (a.Metrics as Array<{ MetricStat?: { Metric: { Namespace: string; MetricName: string } } }>).filter((q) => q.MetricStat).map((q) => q.MetricStat!.Metric)
        : [{ Namespace: a.Namespace, MetricName: a.MetricName }],
    );
    expect(watched.length).toBeGreaterThanOrEqual(alarms.length);
    for (const m of watched) {
      if (m.Namespace === METRICS_NAMESPACE) {
        const key = byName.get(m.MetricName);
        expect([m.MetricName, key !== undefined]).toEqual([m.MetricName, true]);
        // emitted: the functions' code names it through the shared module
        expect([m.MetricName, code.includes(`METRICS.${key}.name`)]).toEqual([m.MetricName, true]);
      } else {
        expect([m.Namespace, m.MetricName, (PUBLISHED[m.Namespace] ?? []).includes(m.MetricName)]).toEqual([m.Namespace, m.MetricName, true]);
      }
    }
  });

  it('catch an open breaker within ten seconds, from the high-resolution state metric', () => {
    const breaker = alarms.find((a) => a.AlarmName === 'ecommerce-circuit-breaker-open');
    expect(breaker).toMatchObject({ Namespace: 'Ecommerce', MetricName: 'CircuitBreakerState', Statistic: 'Maximum', Period: 10, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: [{ Name: 'service', Value: 'payments' }] });
  });
});
