/**
 * Observability of the running platform, through the clients a developer would use: a request's
 * trace through X-Ray (`@aws-sdk/client-xray`), the services' metrics through CloudWatch and the
 * Prometheus endpoint, the breaker-open alarm through an outage of the payment provider, and the
 * functions' logs through CloudWatch Logs.
 */
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { METRICS, METRICS_NAMESPACE } from '../../lambdas/shared/metric-names';
import type { SegmentDocument } from '../../local/xray/segments';
import { awsClientConfig, call, endpoints, uniqueId } from '../support/local-cloud';
import { CARDS, invokeTask, paymentsFunction, replaceEnvironment, setProvider, updateEnvironment } from '../support/payments';
import { eventually } from '../support/poll';

const xray = new XRayClient(awsClientConfig());
const cloudwatch = new CloudWatchClient(awsClientConfig());
const logs = new CloudWatchLogsClient(awsClientConfig());

afterAll(() => {
  xray.destroy();
  cloudwatch.destroy();
  logs.destroy();
});

const window = () => ({ StartTime: new Date(Date.now() - 15 * 60_000), EndTime: new Date(Date.now() + 60_000) });

/** Every (sub)segment of a trace, flattened, with its depth-first parent. */
function flatten(docs: SegmentDocument[]): SegmentDocument[] {
  const out: SegmentDocument[] = [];
  const visit = (d: SegmentDocument) => {
    out.push(d);
    for (const s of d.subsegments ?? []) visit(s);
  };
  docs.forEach(visit);
  return out;
}

async function traceOf(traceId: string): Promise<SegmentDocument[]> {
  const out = await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
  return out.Traces![0]!.Segments!.map((s) => JSON.parse(s.Document!) as SegmentDocument);
}

let createdTrace = '';

describe('a request traced end to end', () => {
  it('shows API Gateway, Lambda and the function with its DynamoDB calls in one trace, found by service', async () => {
    const sku = uniqueId('OBS');
    const created = await call('/api/catalog', { body: { name: `Observed ${sku}`, description: 'traced', price: 12.5, category: 'Tools', brand: 'Obs', stock: 3 } });
    expect(created.status).toBe(201);
    const root = /Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(created.headers.get('x-amzn-trace-id') ?? '')![1]!;
    const docs = await eventually('the request trace with the function subsegments', async () => {
      const d = await traceOf(root).catch(() => undefined);
      return d && flatten(d).some((s) => s.name === 'DynamoDB') && d.some((s) => s.origin === 'AWS::ApiGateway::Stage') ? d : undefined;
    });
    const stage = docs.find((d) => d.origin === 'AWS::ApiGateway::Stage')!;
    const service = docs.find((d) => d.origin === 'AWS::Lambda')!;
    const fn = docs.find((d) => d.origin === 'AWS::Lambda::Function')!;
    expect(stage.http!.request!.method).toBe('POST');
    expect(stage.http!.response!.status).toBe(201);
    // the chain: stage -> its Lambda subsegment -> AWS::Lambda -> AWS::Lambda::Function -> the handler's subsegments
    expect(service.parent_id).toBe(stage.subsegments!.find((s) => s.name === 'Lambda')!.id);
    expect(fn.parent_id).toBe(service.id);
    const handler = fn.subsegments!.find((s) => s.name.startsWith('## '))!;
    expect(handler.annotations).toMatchObject({ service: 'catalog' });
    const calls = flatten([handler]).filter((s) => s.name === 'DynamoDB');
    expect(calls.every((s) => s.namespace === 'aws')).toBe(true);
    expect(calls.map((s) => s.aws!.operation)).toContain('TransactWriteItems'); // the product and its outbox event, together
    createdTrace = root;

    // the event goes on in the same trace: its publish to Kafka, then the pollers and the consumers
    const all = await eventually('a consumer of the event in the trace', async () => {
      const d = await traceOf(root);
      return d.some((x) => x.origin === 'AWS::Lambda::EventSourceMapping') && flatten(d).some((x) => x.name === '### catalog.product.created') ? d : undefined;
    });
    const publish = flatten(all).find((x) => x.name === 'catalog-events')!;
    expect(publish).toMatchObject({ namespace: 'remote', aws: { operation: 'Produce', topic: 'catalog-events' } });
    const poller = all.find((x) => x.origin === 'AWS::Lambda::EventSourceMapping' && x.parent_id === publish.id)!;
    expect(poller.aws).toMatchObject({ topic: 'catalog-events' });

    const found = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: `service("${fn.name}") AND annotation.service = "catalog" AND http.method = "POST"` }));
    expect(found.TraceSummaries!.map((s) => s.Id)).toContain(root);
  });
});

describe('metrics', () => {
  it('EMF from the functions reaches CloudWatch and the Prometheus endpoint under the original names', async () => {
    const before = await prometheusValue('search_queries_total', { service: 'catalog' });
    for (let i = 0; i < 3; i++) expect((await call(`/api/catalog/search/${uniqueId('nothing')}`)).status).toBe(200);
    const after = await eventually('three more searches counted', async () => {
      const v = await prometheusValue('search_queries_total', { service: 'catalog' });
      return v >= before + 3 ? v : undefined;
    });
    expect(after).toBe(before + 3);
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: METRICS_NAMESPACE, MetricName: METRICS.searchDuration.name }));
    expect(listed.Metrics!.map((m) => m.Dimensions)).toContainEqual([{ Name: 'service', Value: 'catalog' }]);
    const data = await cloudwatch.send(
      new GetMetricDataCommand({
        ...window(),
        MetricDataQueries: [
          { Id: 'q', MetricStat: { Metric: { Namespace: METRICS_NAMESPACE, MetricName: METRICS.searchQueries.name, Dimensions: [{ Name: 'service', Value: 'catalog' }] }, Period: 3600, Stat: 'Sum' }, ReturnData: false },
          { Id: 'total', Expression: 'SUM(q)' },
        ],
      }),
    );
    expect(data.MetricDataResults![0]!.Values!.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
    // what AWS publishes by itself: the API's requests
    const api = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ApiGateway', MetricName: 'Count' }));
    expect(api.Metrics!.length).toBeGreaterThan(0);
  });
});

async function prometheusValue(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(endpoints().services.prometheus!)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('the breaker-open alarm', () => {
  const circuit = uniqueId('obs-breaker');
  const saved: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    for (const fn of [paymentsFunction('Tasks')]) saved[fn] = await updateEnvironment(fn, { CIRCUIT_NAME: circuit, CIRCUIT_OPEN_SECONDS: '2' });
  });

  afterAll(async () => {
    await setProvider({ failure_rate: 0 });
    for (const [fn, variables] of Object.entries(saved)) await replaceEnvironment(fn, variables);
  });

  const charge = () =>
    invokeTask({ action: 'charge', order_id: uniqueId('ord'), user_id: 'u', amount_minor: 1000, currency: 'USD', payment_method: { card_number: CARDS.approve }, correlation_id: 'obs' });
  const alarm = async () => (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['ecommerce-circuit-breaker-open'] }))).MetricAlarms![0]!;

  it('goes to ALARM while the breaker is open and back to OK once it closed', async () => {
    await setProvider({ failure_rate: 1 });
    for (let i = 0; i < 5; i++) expect((await charge()).body).toMatchObject({ errorType: 'PaymentProviderError' });
    const open = await eventually('the alarm in ALARM', async () => {
      const a = await alarm();
      return a.StateValue === 'ALARM' ? a : undefined;
    });
    expect(open.StateReason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints \[1 \(.+\)\] was greater than or equal to the threshold \(1\)/);
    await setProvider({ failure_rate: 0 });
    // after the open time one trial goes through and closes the breaker (state 0 reported)
    await eventually('a charge through the closed breaker', async () => ((await charge()).body.status === 'CAPTURED' ? true : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    const ok = await eventually('the alarm back to OK', async () => {
      const a = await alarm();
      return a.StateValue === 'OK' ? a : undefined;
    }, { timeoutMs: 40_000, intervalMs: 1000 });
    expect(ok.StateValue).toBe('OK');
  }, 120_000);
});

describe('logs', () => {
  it("finds a request's log lines in its function's log group (as the template names it) by its trace id", async () => {
    const groups = await logs.send(new DescribeLogGroupsCommand({}));
    const names = groups.logGroups!.map((g) => g.logGroupName!);
    expect(names.length).toBeGreaterThan(3);
    expect(createdTrace).toMatch(/^1-/);
    const hit = await eventually('the request in its function log', async () => {
      for (const name of names) {
        const out = await logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: `{ $.xray_trace_id = "${createdTrace}" }`, startTime: Date.now() - 15 * 60_000 }));
        if (out.events?.length) return { name, events: out.events };
      }
      return undefined;
    });
    const line = JSON.parse(hit.events[0]!.message!) as Record<string, unknown>;
    expect(line).toMatchObject({ service: 'catalog', xray_trace_id: createdTrace });
    expect(typeof line.correlation_id).toBe('string');
    expect(hit.events[0]!.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});
