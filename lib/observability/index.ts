/**
 * The platform's dashboard and alarms. Metric names come from `lambdas/shared/metric-names.ts`
 * (what the functions emit) and `./aws-metrics.ts` (what AWS services publish), never retyped.
 *
 * - A CloudWatch dashboard with one widget per metric of the original platform's list of fifteen
 *   (`DASHBOARD_WIDGETS`), in the order the original README lists them.
 * - Alarms, each to one SNS topic: saga failure rate, circuit breaker open, on-failure queue not
 *   empty, API 5xx rate, p95 order latency, Kafka offset lag.
 *
 * What it watches is found in the stack when the construct is made (make it last): the REST API,
 * the saga state machine, the Kafka event source mappings (their consumer groups); the on-failure
 * queue and the Kafka cluster's name are given.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS, METRICS_NAMESPACE, type MetricKey } from '../../lambdas/shared/metric-names';
import { SAGA_STATE_MACHINE_NAME } from '../config';
import { AWS_METRICS } from './aws-metrics';

export interface ObservabilityProps {
  /** the on-failure destination of the event source mappings */
  failures: sqs.IQueue;
  /** the MSK cluster's name (the `Cluster Name` dimension of AWS/Kafka) */
  kafkaClusterName: string;
}

/** Alarm thresholds: what "bad" means, in one place. */
export const ALARM_THRESHOLDS = {
  /** percent of saga executions failed over 5 minutes */
  sagaFailureRatePercent: 10,
  /** share of API requests answered 5xx over 5 minutes */
  api5xxRate: 0.05,
  /** p95 order processing duration, ms, over 5 minutes */
  orderLatencyP95Ms: 3000,
  /** records behind, summed over a group's partitions */
  kafkaOffsetLag: 1000,
} as const;

const app = (key: MetricKey, options: { statistic?: string; period?: Duration; dimensions?: Record<string, string>; label?: string } = {}) =>
  new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: METRICS[key].name,
    statistic: options.statistic ?? 'Sum',
    period: options.period ?? Duration.minutes(1),
    dimensionsMap: options.dimensions,
    label: options.label,
  });

/** All series of an app metric whatever their dimensions (SEARCH), for widgets "by type", "by topic". */
const search = (key: MetricKey, dims: readonly string[], statistic: string, label: string) =>
  new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${['service', ...dims].join(',')}} MetricName="${METRICS[key].name}"', '${statistic}', 60)`,
    label,
    period: Duration.minutes(1),
  });

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'E-commerce platform alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry alarm names and states only; CloudWatch cannot publish to a topic under the AWS managed SNS key, and a customer key for these alone is not worth its cost.',
    });
    const action = new actions.SnsAction(this.topic);
    const api = stack.node.findAll().find((c): c is apigw.RestApi => c instanceof apigw.RestApi);
    const saga = stack.node.findAll().find((c): c is sfn.StateMachine => c instanceof sfn.StateMachine && c.node.id.length > 0 && stack.resolve((c.node.defaultChild as sfn.CfnStateMachine).stateMachineName) === SAGA_STATE_MACHINE_NAME);
    const consumers = stack.node
      .findAll()
      .filter((c): c is lambda.CfnEventSourceMapping => c instanceof lambda.CfnEventSourceMapping)
      .map((m) => {
        const cfg = stack.resolve(m.amazonManagedKafkaEventSourceConfig) as { consumerGroupId?: string } | undefined;
        const topics = stack.resolve(m.topics) as string[] | undefined;
        return cfg?.consumerGroupId && topics?.length ? { group: cfg.consumerGroupId, topic: topics[0]! } : undefined;
      })
      .filter((x) => x !== undefined);

    const alarm = (name: string, props: Omit<cloudwatch.AlarmProps, 'alarmName'>) => {
      const a = new cloudwatch.Alarm(this, name, { ...props, alarmName: `ecommerce-${name.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}` });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms[name] = a;
      return a;
    };

    // 1. saga failure rate: executions failed (or timed out) per execution started, Step Functions' own metrics
    if (saga) {
      const m = (name: keyof typeof AWS_METRICS.states) => saga.metric(AWS_METRICS.states[name], { statistic: 'Sum', period: Duration.minutes(5) });
      alarm('SagaFailureRate', {
        alarmDescription: `More than ${ALARM_THRESHOLDS.sagaFailureRatePercent}% of order sagas failed in 5 minutes`,
        metric: new cloudwatch.MathExpression({
          expression: '100 * (FILL(failed, 0) + FILL(timedOut, 0)) / started',
          usingMetrics: { failed: m('failed'), timedOut: m('timedOut'), started: m('started') },
          period: Duration.minutes(5),
          label: 'saga failure rate (%)',
        }),
        threshold: ALARM_THRESHOLDS.sagaFailureRatePercent,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // 2. circuit breaker open (state 1; half-open is 2): high-resolution, so it follows the breaker within 10 s
    alarm('CircuitBreakerOpen', {
      alarmDescription: 'The payment provider circuit breaker is open: payments fail fast',
      metric: app('circuitBreakerState', { statistic: 'Maximum', period: Duration.seconds(10), dimensions: { service: METRICS.circuitBreakerState.service } }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // 3. the on-failure queue is not empty: a batch was given up on
    alarm('OnFailureQueueNotEmpty', {
      alarmDescription: 'Event batches were given up on and wait in the on-failure queue for a redrive',
      metric: props.failures.metric(AWS_METRICS.sqs.visible, { statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // 4. API 5xx rate: 5XXError is 0 or 1 per request, its average the share of 5xx answers
    if (api) {
      alarm('Api5xxRate', {
        alarmDescription: `More than ${ALARM_THRESHOLDS.api5xxRate * 100}% of API requests failed with 5xx in 5 minutes`,
        metric: api.metricServerError({ statistic: 'Average', period: Duration.minutes(5) }),
        threshold: ALARM_THRESHOLDS.api5xxRate,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // 5. p95 order latency
    alarm('OrderLatencyP95', {
      alarmDescription: `p95 order processing above ${ALARM_THRESHOLDS.orderLatencyP95Ms} ms for 5 minutes`,
      metric: app('orderProcessingDuration', { statistic: 'p95', period: Duration.minutes(5), dimensions: { service: METRICS.orderProcessingDuration.service } }),
      threshold: ALARM_THRESHOLDS.orderLatencyP95Ms,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // 6. Kafka offset lag: the largest lag of any consumer group on its topic (MSK's SumOffsetLag)
    if (consumers.length) {
      const usingMetrics = Object.fromEntries(
        consumers.slice(0, 9).map((c, i) => [
          `lag${i}`,
          new cloudwatch.Metric({
            namespace: AWS_METRICS.kafka.namespace,
            metricName: AWS_METRICS.kafka.sumOffsetLag,
            dimensionsMap: { 'Cluster Name': props.kafkaClusterName, 'Consumer Group': c.group, Topic: c.topic },
            statistic: 'Maximum',
            period: Duration.minutes(1),
          }),
        ]),
      );
      alarm('KafkaOffsetLag', {
        alarmDescription: `A consumer group is more than ${ALARM_THRESHOLDS.kafkaOffsetLag} records behind on its topic`,
        metric: new cloudwatch.MathExpression({ expression: 'MAX(METRICS())', usingMetrics, period: Duration.minutes(1), label: 'max offset lag' }),
        threshold: ALARM_THRESHOLDS.kafkaOffsetLag,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: 'ecommerce-platform', defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(...dashboardWidgets(api));
  }
}

/** The original platform's fifteen, as the README lists them: title -> widget. */
export const DASHBOARD_WIDGETS = [
  'Total orders created',
  'Order success rate',
  'Active orders',
  'Average order value',
  'Order processing duration (p95)',
  'Saga execution duration',
  'Inventory operations rate',
  'Payment success rate',
  'Circuit breaker state',
  'Products created/updated rate',
  'Search query latency (p95)',
  'Cache hit/miss ratio',
  'Notifications sent by type',
  'Kafka message consumption rate',
  'Service health status',
] as const;

function dashboardWidgets(api: apigw.RestApi | undefined): cloudwatch.IWidget[] {
  const graph = (title: (typeof DASHBOARD_WIDGETS)[number], left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...extra });
  const orders = { service: METRICS.ordersCreated.service };
  const success = (ok: cloudwatch.IMetric, bad: cloudwatch.IMetric, label: string) =>
    new cloudwatch.MathExpression({ expression: '100 * ok / (ok + bad)', usingMetrics: { ok, bad }, label, period: Duration.minutes(5) });
  return [
    graph('Total orders created', [search('ordersCreated', METRICS.ordersCreated.dimensions, 'Sum', 'orders created')]),
    graph('Order success rate', [
      success(
        app('ordersEnded', { dimensions: { ...orders, outcome: 'COMPLETED' }, period: Duration.minutes(5) }),
        new cloudwatch.MathExpression({
          expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service,outcome} MetricName="${METRICS.ordersEnded.name}" NOT outcome="COMPLETED"', 'Sum', 300))`,
          label: 'cancelled',
          period: Duration.minutes(5),
        }),
        'order success rate (%)',
      ),
    ]),
    graph('Active orders', [app('activeOrders', { statistic: 'Maximum', dimensions: orders })]),
    new cloudwatch.SingleValueWidget({ title: 'Average order value', metrics: [app('orderValue', { statistic: 'Average', dimensions: { ...orders, currency: 'USD' }, period: Duration.hours(1) })], width: 8, height: 6 }),
    graph('Order processing duration (p95)', [app('orderProcessingDuration', { statistic: 'p95', dimensions: orders })]),
    graph('Saga execution duration', [
      app('sagaExecutionDuration', { statistic: 'p50', dimensions: { ...orders, outcome: 'COMPLETED' }, label: 'p50 completed' }),
      app('sagaExecutionDuration', { statistic: 'p95', dimensions: { ...orders, outcome: 'COMPLETED' }, label: 'p95 completed' }),
      app('sagaExecutionDuration', { statistic: 'p95', dimensions: { ...orders, outcome: 'CANCELLED' }, label: 'p95 cancelled' }),
    ]),
    graph('Inventory operations rate', [search('inventoryOperations', METRICS.inventoryOperations.dimensions, 'Sum', 'inventory operations')]),
    graph('Payment success rate', [
      success(
        app('paymentsProcessed', { dimensions: { service: 'payments', status: 'CAPTURED' }, period: Duration.minutes(5) }),
        new cloudwatch.MathExpression({
          expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service,status} MetricName="${METRICS.paymentsProcessed.name}" NOT status="CAPTURED"', 'Sum', 300))`,
          label: 'declined or failed',
          period: Duration.minutes(5),
        }),
        'payment success rate (%)',
      ),
    ]),
    graph('Circuit breaker state', [app('circuitBreakerState', { statistic: 'Maximum', period: Duration.seconds(10), dimensions: { service: 'payments' } })], {
      leftYAxis: { min: 0, max: 2, label: '0 closed, 1 open, 2 half-open' },
    }),
    graph('Products created/updated rate', [app('productsCreated', { dimensions: { service: 'catalog' } }), app('productsUpdated', { dimensions: { service: 'catalog' } })]),
    graph('Search query latency (p95)', [app('searchDuration', { statistic: 'p95', dimensions: { service: 'catalog' } })]),
    graph('Cache hit/miss ratio', [
      new cloudwatch.MathExpression({
        expression: '100 * hits / (hits + misses)',
        usingMetrics: { hits: app('cacheHits', { dimensions: { service: 'catalog' } }), misses: app('cacheMisses', { dimensions: { service: 'catalog' } }) },
        label: 'cache hit ratio (%)',
        period: Duration.minutes(1),
      }),
    ]),
    graph('Notifications sent by type', [search('notificationsSent', METRICS.notificationsSent.dimensions, 'Sum', 'notifications sent')]),
    graph('Kafka message consumption rate', [search('kafkaMessagesConsumed', METRICS.kafkaMessagesConsumed.dimensions, 'Sum', 'messages consumed')]),
    graph(
      'Service health status',
      api
        ? [api.metricServerError({ statistic: 'Sum', label: 'API 5xx' }), api.metricClientError({ statistic: 'Sum', label: 'API 4xx' }), api.metricCount({ statistic: 'Sum', label: 'API requests' })]
        : [],
    ),
  ];
}
