/**
 * The local CloudWatch through `@aws-sdk/client-cloudwatch` (AWS JSON 1.0) and the AWS CLI
 * (botocore: Smithy RPC v2 CBOR) on an edge of its own; metrics from EMF printed by a function in
 * the local Lambda runtime (Powertools Metrics); alarms notifying an SNS topic of the local SNS;
 * Kafka consumer lag from a local broker; the Prometheus text.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutDashboardCommand,
  GetDashboardCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { createCloudWatch, type CloudWatch } from '../../../../local/cloudwatch';
import { startEdge } from '../../../../local/edge';
import { createKafkaBroker } from '../../../../local/kafka';
import { LambdaRuntime } from '../../../../local/lambda';
import { fixtureFunction } from '../../../support/functions';
import { eventually } from '../../../support/poll';

const run = promisify(execFile);

describe('local CloudWatch', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cloudwatch-'));
  let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
  const notified: Array<{ topic: string; subject: string; message: Record<string, unknown> }> = [];
  let cw: CloudWatch;
  let edge: Awaited<ReturnType<typeof startEdge>>;
  let client: CloudWatchClient;

  beforeAll(async () => {
    cw = createCloudWatch({
      dataDir: dir,
      region: 'us-east-1',
      accountId: '000000000000',
      now: () => clock,
      notify: (topic, subject, message) => void notified.push({ topic, subject, message: JSON.parse(message) as Record<string, unknown> }),
      prometheusKinds: { ActiveOrders: 'gauge' },
    });
    edge = await startEdge({ port: 0, services: [{ name: 'cloudwatch', targets: [cw.targetPrefix], route: cw.route }] });
    client = new CloudWatchClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    client.destroy();
    await edge.close();
    await cw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = (offsetSeconds: number) => new Date(clock + offsetSeconds * 1000);

  it('extracts EMF from what a function prints (Powertools Metrics in the local runtime) and answers GetMetricStatistics', async () => {
    const runtime = new LambdaRuntime({ onLog: (_fn, line) => cw.ingestLogLine(line) });
    runtime.register(fixtureFunction('metered', 'traced.handler'));
    for (const latency of [10, 20, 30, 40]) expect((await runtime.invoke('metered', { orderId: 'o', latency })).status).toBe('ok');
    await runtime.close();
    // EMF carries the function's own clock; read around it
    const now = Date.now();
    const stats = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Fixture',
        MetricName: 'FixtureLatency',
        Dimensions: [{ Name: 'service', Value: 'fixture' }],
        StartTime: new Date(now - 3600_000),
        EndTime: new Date(now + 60_000),
        Period: 3600,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Maximum'],
        ExtendedStatistics: ['p50', 'p95'],
      }),
    );
    expect(stats.Datapoints!.map((d) => [d.SampleCount, d.Sum, d.Average, d.Maximum, d.ExtendedStatistics, d.Unit])).toEqual([[4, 100, 25, 40, { p50: 20, p95: 40 }, 'Milliseconds']]);
    expect(cw.emf.lines).toBe(4);
  });

  it('takes PutMetricData (values, counts, statistic sets) and answers GetMetricData with metric math, newest first', async () => {
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'OrdersCreated', Dimensions: [{ Name: 'status', Value: 'confirmed' }], Timestamp: at(-120), Value: 3, Unit: 'Count' },
          { MetricName: 'OrdersCreated', Dimensions: [{ Name: 'status', Value: 'confirmed' }], Timestamp: at(-60), Values: [1, 2], Counts: [2, 1], Unit: 'Count' },
          { MetricName: 'OrdersCreated', Dimensions: [{ Name: 'status', Value: 'failed' }], Timestamp: at(-60), Value: 1, Unit: 'Count' },
          { MetricName: 'Latency', Timestamp: at(-60), StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 4, Maximum: 16 }, Unit: 'Milliseconds' },
        ],
      }),
    );
    const metric = (status: string) => ({ Namespace: 'Shop', MetricName: 'OrdersCreated', Dimensions: [{ Name: 'status', Value: status }] });
    const out = await client.send(
      new GetMetricDataCommand({
        StartTime: at(-600),
        EndTime: at(60),
        MetricDataQueries: [
          { Id: 'ok', MetricStat: { Metric: metric('confirmed'), Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'bad', MetricStat: { Metric: metric('failed'), Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: '100 * FILL(bad, 0) / (FILL(ok, 0) + FILL(bad, 0))', Label: 'failure rate' },
          { Id: 'total', Expression: 'SUM(METRICS())' },
          { Id: 'lat', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Latency' }, Period: 60, Stat: 'Maximum' } },
        ],
      }),
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    expect(Object.keys(byId)).toEqual(['rate', 'total', 'lat']);
    expect(byId.rate!.Label).toBe('failure rate');
    const minute = (s: number) => new Date(Math.floor((clock + s * 1000) / 60_000) * 60_000);
    // FILL gives every minute of the range a value; minutes where both are 0 divide 0 by 0 and have no datapoint
    expect([byId.rate!.Timestamps, byId.rate!.Values]).toEqual([[minute(-60), minute(-120)], [20, 0]]);
    // METRICS() is every MetricStat query, the latency's maximum (16) included
    expect([byId.total!.Timestamps, byId.total!.Values]).toEqual([[minute(-60), minute(-120)], [21, 3]]);
    expect(byId.lat!.Values).toEqual([16]);
  });

  it('refuses what CloudWatch refuses, with its error names', async () => {
    await expect(client.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'x', Value: 1 }] }))).rejects.toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(new GetMetricDataCommand({ StartTime: at(-60), EndTime: at(0), MetricDataQueries: [{ Id: 'e', Expression: 'm1 +' }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      client.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', StartTime: at(-60), EndTime: at(0), Period: 45, Statistics: ['Sum'] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: 'The parameter Period must be 1, 5, 10, 30, or a multiple of 60.' });
  });

  it('lists metrics through the AWS CLI, which speaks RPC v2 CBOR', async () => {
    const { stdout } = await run('aws', ['cloudwatch', 'list-metrics', '--namespace', 'Shop', '--metric-name', 'OrdersCreated', '--endpoint-url', edge.url, '--output', 'json'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1' },
    });
    const listed = JSON.parse(stdout) as { Metrics: Array<{ Dimensions: Array<{ Value: string }> }> };
    expect(listed.Metrics.map((m) => m.Dimensions[0]!.Value)).toEqual(['confirmed', 'failed']);
    const viaSdk = await client.send(new ListMetricsCommand({ Namespace: 'Shop', Dimensions: [{ Name: 'status', Value: 'failed' }] }));
    expect(viaSdk.Metrics).toEqual([{ Namespace: 'Shop', MetricName: 'OrdersCreated', Dimensions: [{ Name: 'status', Value: 'failed' }] }]);
  }, 60_000);

  it('evaluates an alarm as the metric moves, tells its SNS topic, and returns to OK', async () => {
    const topic = 'arn:aws:sns:us-east-1:000000000000:alarms';
    cw.deployAlarm({
      AlarmName: 'breaker-open',
      Namespace: 'Shop',
      MetricName: 'CircuitBreakerState',
      Dimensions: [{ Name: 'service', Value: 'payments' }],
      Statistic: 'Maximum',
      Period: 10,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    const state = async () => (await client.send(new DescribeAlarmsCommand({ AlarmNames: ['breaker-open'] }))).MetricAlarms![0]!;
    expect((await state()).StateValue).toBe('OK'); // no data, treated as not breaching
    const put = (v: number) =>
      client.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'CircuitBreakerState', Dimensions: [{ Name: 'service', Value: 'payments' }], Value: v, StorageResolution: 1 }] }));
    await put(1);
    const alarm = await state();
    expect([alarm.StateValue, alarm.Threshold, alarm.AlarmArn]).toEqual(['ALARM', 1, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:breaker-open']);
    expect(alarm.StateReason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[1 \(.+\)\] was greater than or equal to the threshold \(1\)/);
    clock += 10_000; // the next period: the breaker closed
    await put(0);
    expect((await state()).StateValue).toBe('OK');
    expect(notified.map((n) => [n.topic, n.subject, n.message.NewStateValue, n.message.OldStateValue])).toEqual([
      [topic, 'OK: "breaker-open" in us-east-1', 'OK', 'INSUFFICIENT_DATA'],
      [topic, 'ALARM: "breaker-open" in us-east-1', 'ALARM', 'OK'],
      [topic, 'OK: "breaker-open" in us-east-1', 'OK', 'ALARM'],
    ]);
  });

  it('alarms on metric math (a failure rate) created with PutMetricAlarm', async () => {
    const m = (status: string) => ({ Namespace: 'Shop', MetricName: 'SagaExecutions', Dimensions: [{ Name: 'status', Value: status }] });
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: 'saga-failure-rate',
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        Metrics: [
          { Id: 'ok', MetricStat: { Metric: m('succeeded'), Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'bad', MetricStat: { Metric: m('failed'), Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: '100 * FILL(bad, 0) / (FILL(ok, 0) + FILL(bad, 0))', ReturnData: true },
        ],
      }),
    );
    const put = (status: string, v: number) => client.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'SagaExecutions', Dimensions: [{ Name: 'status', Value: status }], Value: v }] }));
    await put('succeeded', 9);
    await put('failed', 1);
    const state = async () => (await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'saga-' }))).MetricAlarms!.map((a) => a.StateValue);
    expect(await state()).toEqual(['OK']);
    await put('failed', 2);
    expect(await state()).toEqual(['ALARM']);
  });

  it('keeps dashboards', async () => {
    await client.send(new PutDashboardCommand({ DashboardName: 'shop', DashboardBody: JSON.stringify({ widgets: [{ type: 'metric' }] }) }));
    const d = await client.send(new GetDashboardCommand({ DashboardName: 'shop' }));
    expect([d.DashboardArn, JSON.parse(d.DashboardBody!).widgets.length]).toEqual(['arn:aws:cloudwatch::000000000000:dashboard/shop', 1]);
    await expect(client.send(new GetDashboardCommand({ DashboardName: 'nope' }))).rejects.toMatchObject({
      // DashboardNotFoundError on the wire; the SDK names it by its query code, as it does with AWS's answer
      name: 'ResourceNotFound',
      message: 'Dashboard nope does not exist',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('serves the series as Prometheus text: base units, _total counters, named gauges', async () => {
    await client.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'ActiveOrders', Value: 7, Unit: 'Count' }] }));
    const res = await fetch(`${edge.url}/_local/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const lines = text.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['# TYPE shop_orders_created_total counter', 'shop_orders_created_total{status="confirmed"} 7', 'shop_orders_created_total{status="failed"} 1']));
    expect(lines).toEqual(expect.arrayContaining(['# TYPE shop_active_orders gauge', 'shop_active_orders 7']));
    expect(lines).toEqual(expect.arrayContaining(['# TYPE shop_latency_seconds summary', 'shop_latency_seconds_sum 0.04', 'shop_latency_seconds_count 4']));
    expect(lines).toEqual(expect.arrayContaining(['fixture_fixture_latency_seconds_count{service="fixture"} 4', 'fixture_fixture_latency_seconds_sum{service="fixture"} 0.1']));
  });

  it('keeps its series, alarms and dashboards across a restart', async () => {
    const again = createCloudWatch({ dataDir: dir, region: 'us-east-1', accountId: '000000000000', now: () => clock });
    const s = again.store.get('Shop', 'OrdersCreated', [{ Name: 'status', Value: 'confirmed' }])!;
    expect(s.totalCount).toBe(4);
    expect((again.alarms.describe({ AlarmNames: ['breaker-open'] }).MetricAlarms as unknown[]).length).toBe(1);
    await again.close();
  });
});

describe('Kafka consumer lag', () => {
  it('reads each group lag per partition from the broker into AWS/Kafka and Prometheus', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-lag-'));
    const broker = await createKafkaBroker({ port: 0, dataDir: path.join(dir, 'kafka'), autoCreateTopics: false });
    const cw = createCloudWatch({ dataDir: path.join(dir, 'cw'), region: 'us-east-1', accountId: '000000000000' });
    const kafka = new Kafka({ clientId: 'lag-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    try {
      await broker.createTopic('orders', 2);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'orders', messages: [0, 1, 2, 3, 4].map((i) => ({ partition: i % 2, value: `m${i}` })) });
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.setOffsets({ groupId: 'billing', topic: 'orders', partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '2' }] });
      await admin.disconnect();
      const lag = cw.watchKafka({ bootstrap: broker.bootstrap, clusterName: 'backbone', everyMs: 60_000 });
      await eventually('a lag reading', async () => {
        await lag.sample();
        return lag.rows.length ? lag.rows : undefined;
      });
      expect(lag.rows.sort((a, b) => a.partition - b.partition)).toEqual([
        { group: 'billing', topic: 'orders', partition: 0, lag: 2 },
        { group: 'billing', topic: 'orders', partition: 1, lag: 0 },
      ]);
      const dims = [{ Name: 'Cluster Name', Value: 'backbone' }, { Name: 'Consumer Group', Value: 'billing' }, { Name: 'Topic', Value: 'orders' }];
      const sum = cw.store.get('AWS/Kafka', 'SumOffsetLag', dims)!;
      expect(sum.v[sum.v.length - 1]).toBe(2);
      expect(cw.prometheus()).toContain('kafka_consumergroup_lag{consumergroup="billing",topic="orders",partition="0"} 2');
    } finally {
      await cw.close();
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
