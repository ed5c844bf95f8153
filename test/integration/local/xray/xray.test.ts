/**
 * The local X-Ray through `@aws-sdk/client-xray` on an edge of its own, fed by a function that runs
 * in the local Lambda runtime with the Powertools Tracer (its X-Ray SDK sending UDP to the daemon),
 * by PutTraceSegments, and by raw datagrams; the OTLP export to a receiver this test runs.
 */
import { BatchGetTracesCommand, GetServiceGraphCommand, GetTraceSummariesCommand, PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEdge } from '../../../../local/edge';
import { LambdaRuntime } from '../../../../local/lambda';
import { createXRay, type XRay } from '../../../../local/xray';
import type { SegmentDocument } from '../../../../local/xray/segments';
import { fixtureFunction } from '../../../support/functions';
import { eventually } from '../../../support/poll';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const now = () => Math.floor(Date.now() / 1000);
const range = () => ({ StartTime: new Date((now() - 600) * 1000), EndTime: new Date((now() + 60) * 1000) });

describe('local X-Ray', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xray-'));
  let xray: XRay;
  let edge: Awaited<ReturnType<typeof startEdge>>;
  let client: XRayClient;
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    xray = await createXRay({ dataDir: dir, accountId: '000000000000', daemonPort: 0 });
    edge = await startEdge({ port: 0, services: [{ name: 'xray', route: xray.route }] });
    client = new XRayClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    runtime = new LambdaRuntime({ tracing: xray });
    runtime.register(fixtureFunction('traced', 'traced.handler', { environment: { AWS_XRAY_DAEMON_ADDRESS: xray.daemonAddress } }));
  });

  afterAll(async () => {
    client.destroy();
    await runtime.close();
    await edge.close();
    await xray.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects a function trace: Lambda segments from the runtime, the Tracer subsegments over UDP, found by annotation and read whole', async () => {
    const traceHeader = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;
    const r = await runtime.invoke('traced', { orderId: 'order-xray-1' }, { traceHeader });
    expect(r.status).toBe('ok');
    const summaries = await eventually('the trace with its annotation', async () => {
      const out = await client.send(new GetTraceSummariesCommand({ ...range(), TimeRangeType: 'TraceId', FilterExpression: 'annotation.order_id = "order-xray-1"' }));
      return out.TraceSummaries?.length && out.TraceSummaries[0]!.Annotations?.order_id ? out.TraceSummaries : undefined;
    });
    expect(summaries.map((s) => s.Id)).toEqual([ROOT]);
    expect(summaries[0]!.Annotations!.order_id![0]!.AnnotationValue).toEqual({ StringValue: 'order-xray-1' });
    expect(summaries[0]!.ServiceIds!.map((s) => `${s.Type}:${s.Name}`).sort()).toEqual(['AWS::Lambda::Function:traced', 'AWS::Lambda:traced']);

    const { Traces, UnprocessedTraceIds } = await client.send(new BatchGetTracesCommand({ TraceIds: [ROOT, '1-00000000-000000000000000000000000'] }));
    expect(UnprocessedTraceIds).toEqual(['1-00000000-000000000000000000000000']);
    const docs = Traces![0]!.Segments!.map((s) => JSON.parse(s.Document!) as SegmentDocument);
    const service = docs.find((d) => d.origin === 'AWS::Lambda')!;
    const fn = docs.find((d) => d.origin === 'AWS::Lambda::Function')!;
    expect(service.parent_id).toBe('53995c3f42cd8ad8');
    expect(fn.parent_id).toBe(service.id);
    // the function ran with Parent = its function segment; the Tracer's subsegments were folded in under it
    expect((r as { payload: { trace: string } }).payload.trace).toBe(`Root=${ROOT};Parent=${fn.id};Sampled=1`);
    const handler = fn.subsegments!.find((s) => s.name === '## traced.handler')!;
    expect(handler.annotations).toEqual({ order_id: 'order-xray-1', service: 'fixture' });
    expect(handler.subsegments!.map((s) => s.name)).toEqual(['work']);
    expect(docs).toHaveLength(2);
  });

  it('takes in-progress segments, their completion, and refuses malformed documents', async () => {
    // one clock reading for both ends: a second ticking between two readings made the response time 2
    const t0 = now();
    const trace = `1-${t0.toString(16)}-aaaaaaaaaaaaaaaaaaaaaaaa`;
    const seg = { name: 'checkout', id: '1111111111111111', trace_id: trace, start_time: t0 - 2, origin: 'AWS::EC2::Instance' };
    const out = await client.send(
      new PutTraceSegmentsCommand({
        TraceSegmentDocuments: [JSON.stringify({ ...seg, in_progress: true }), '{"name":"x"', JSON.stringify({ name: 'y', id: 'zz', trace_id: trace, start_time: 1, end_time: 2 })],
      }),
    );
    expect(out.UnprocessedTraceSegments).toEqual([
      { ErrorCode: 'InvalidSegment.MalformedJson', Message: 'Invalid segment. ErrorCode: InvalidSegment.MalformedJson' },
      { Id: 'zz', ErrorCode: 'InvalidSegment.InvalidId', Message: 'Invalid segment. ErrorCode: InvalidSegment.InvalidId' },
    ]);
    const partial = await client.send(new GetTraceSummariesCommand({ ...range(), FilterExpression: 'service("checkout")' }));
    expect(partial.TraceSummaries!.map((s) => [s.Id, s.IsPartial])).toEqual([[trace, true]]);
    await client.send(
      new PutTraceSegmentsCommand({
        TraceSegmentDocuments: [
          JSON.stringify({ ...seg, end_time: t0 - 1, fault: true, http: { request: { method: 'POST', url: 'http://shop/checkout' }, response: { status: 503 } } }),
          JSON.stringify({ ...seg, in_progress: true }), // late: a completed segment is never replaced by an in-progress one
        ],
      }),
    );
    const done = await client.send(new GetTraceSummariesCommand({ ...range(), FilterExpression: 'service("checkout") AND fault AND responsetime >= 1 AND http.status = 503' }));
    expect(done.TraceSummaries!.map((s) => [s.Id, s.IsPartial, s.HasFault, s.ResponseTime, s.Http?.HttpMethod])).toEqual([[trace, false, true, 1, 'POST']]);
    const none = await client.send(new GetTraceSummariesCommand({ ...range(), FilterExpression: 'service("checkout") AND NOT fault' }));
    expect(none.TraceSummaries).toEqual([]);
    await expect(client.send(new GetTraceSummariesCommand({ ...range(), FilterExpression: 'annotation.x ===' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('draws the service graph: the caller, the function and the downstream node its subsegment calls', async () => {
    const trace = `1-${now().toString(16)}-bbbbbbbbbbbbbbbbbbbbbbbb`;
    const t0 = now() - 5;
    const docs: SegmentDocument[] = [
      { name: 'shop-api/prod', id: '2222222222222222', trace_id: trace, start_time: t0, end_time: t0 + 1, origin: 'AWS::ApiGateway::Stage', subsegments: [{ name: 'Lambda', id: '3333333333333333', start_time: t0, end_time: t0 + 1, namespace: 'aws' }] },
      { name: 'orders-create', id: '4444444444444444', trace_id: trace, parent_id: '3333333333333333', start_time: t0, end_time: t0 + 0.5, origin: 'AWS::Lambda::Function', subsegments: [{ name: 'DynamoDB', id: '5555555555555555', start_time: t0, end_time: t0 + 0.2, namespace: 'aws', error: true }] },
    ];
    await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs.map((d) => JSON.stringify(d)) }));
    const graph = await client.send(new GetServiceGraphCommand({ StartTime: new Date((t0 - 1) * 1000), EndTime: new Date((t0 + 2) * 1000) }));
    const byName = new Map(graph.Services!.map((s) => [s.Name, s]));
    const api = byName.get('shop-api/prod')!;
    const fn = byName.get('orders-create')!;
    const ddb = byName.get('DynamoDB')!;
    expect([api.Type, fn.Type, ddb.Type, api.Root, fn.Root]).toEqual(['AWS::ApiGateway::Stage', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table', true, false]);
    expect(api.Edges!.map((e) => e.ReferenceId)).toEqual(expect.arrayContaining([fn.ReferenceId, byName.get('Lambda')!.ReferenceId]));
    expect(fn.Edges!.map((e) => [e.ReferenceId, e.SummaryStatistics!.ErrorStatistics!.OtherCount])).toEqual([[ddb.ReferenceId, 1]]);
  });

  it('the daemon takes what the SDK sends over UDP and drops datagrams without the header', async () => {
    const before = { ...xray.daemon.stats };
    const trace = `1-${now().toString(16)}-cccccccccccccccccccccccc`;
    const socket = dgram.createSocket('udp4');
    const [host, port] = xray.daemonAddress.split(':');
    const send = (text: string) => new Promise<void>((ok, fail) => socket.send(Buffer.from(text), Number(port), host, (e) => (e ? fail(e) : ok())));
    await send(`{"format": "json", "version": 1}\n${JSON.stringify({ name: 'udp', id: '6666666666666666', trace_id: trace, start_time: now(), end_time: now() })}`);
    await send(JSON.stringify({ name: 'no-header', id: '7777777777777777', trace_id: trace, start_time: now(), end_time: now() }));
    socket.close();
    await eventually('both datagrams handled', () => (xray.daemon.stats.received + xray.daemon.stats.rejected >= before.received + before.rejected + 2 ? true : undefined));
    expect(xray.daemon.stats).toEqual({ received: before.received + 1, rejected: before.rejected + 1 });
    expect([...xray.store.get(trace)!.docs.keys()]).toEqual(['6666666666666666']);
  });

  it('keeps traces across a restart on the same folder', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'xray-restart-'));
    const trace = `1-${now().toString(16)}-dddddddddddddddddddddddd`;
    const a = await createXRay({ dataDir: other, accountId: '000000000000', daemonPort: 0 });
    a.put({ name: 'kept', id: '8888888888888888', trace_id: trace, start_time: now(), end_time: now() });
    await a.close();
    const b = await createXRay({ dataDir: other, accountId: '000000000000', daemonPort: 0 });
    expect(b.store.documents(b.store.get(trace)!).map((d) => d.name)).toEqual(['kept']);
    await b.close();
    rmSync(other, { recursive: true, force: true });
  });

  it('forgets the oldest traces past its size cap', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'xray-cap-'));
    const a = await createXRay({ dataDir: other, accountId: '000000000000', daemonPort: 0, maxBytes: 64 * 1024 });
    const pad = 'x'.repeat(900);
    const t0 = now(); // one reading: the last trace's id is looked up again below
    for (let i = 0; i < 400; i++) {
      a.put({ name: 'big', id: i.toString(16).padStart(16, '0'), trace_id: `1-${t0.toString(16)}-${i.toString(16).padStart(24, '0')}`, start_time: t0, end_time: t0, metadata: { pad: { pad } } });
      if (i % 50 === 49) a.store.flush();
    }
    a.store.flush();
    expect(a.store.diskBytes).toBeLessThanOrEqual(64 * 1024 + 16 * 1024);
    expect(a.store.size).toBeLessThan(400);
    expect(a.store.get(`1-${t0.toString(16)}-${(399).toString(16).padStart(24, '0')}`)).toBeDefined();
    await a.close();
    rmSync(other, { recursive: true, force: true });
  });

  it('exports each trace as OTLP/HTTP JSON spans to a receiver, with parents and kinds', async () => {
    type Span = { name: string; spanId: string; parentSpanId?: string; kind: number; traceId: string; startTimeUnixNano: string; attributes: unknown[]; status: unknown };
    const received: Array<{ resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Span[] }> }> }> = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const other = mkdtempSync(path.join(os.tmpdir(), 'xray-otlp-'));
    const a = await createXRay({ dataDir: other, accountId: '000000000000', daemonPort: 0, otlpEndpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}` });
    const t0 = 1_700_000_000.25;
    a.put({ name: 'api/prod', id: '9999999999999999', trace_id: ROOT, start_time: t0, end_time: t0 + 1, origin: 'AWS::ApiGateway::Stage', annotations: { order_id: 'o-9' }, subsegments: [{ name: 'Lambda', id: 'aaaaaaaaaaaaaaaa', start_time: t0, end_time: t0 + 1, namespace: 'aws' }] });
    a.put({ name: 'fn', id: 'bbbbbbbbbbbbbbbb', trace_id: ROOT, parent_id: 'aaaaaaaaaaaaaaaa', start_time: t0, end_time: t0 + 0.5, origin: 'AWS::Lambda::Function', fault: true, cause: { exceptions: [{ message: 'boom' }] } });
    a.put({ name: 'pending', id: 'cccccccccccccccc', trace_id: ROOT, start_time: t0, in_progress: true });
    await a.exporter!.flush();
    const spans = received.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans.map((sp) => ({ ...sp, service: rs.resource.attributes.find((x) => x.key === 'service.name')!.value.stringValue })))));
    expect(spans.map((s) => [s.name, s.spanId, s.parentSpanId ?? null, s.kind, s.service, s.traceId])).toEqual([
      ['api/prod', '9999999999999999', null, 2, 'api/prod', '5759e988bd862e3fe1be46a994272793'],
      ['Lambda', 'aaaaaaaaaaaaaaaa', '9999999999999999', 3, 'api/prod', '5759e988bd862e3fe1be46a994272793'],
      ['fn', 'bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 2, 'fn', '5759e988bd862e3fe1be46a994272793'],
    ]);
    expect(spans[0]!.startTimeUnixNano).toBe('1700000000250000000');
    expect(spans[0]!.attributes).toEqual(expect.arrayContaining([{ key: 'order_id', value: { stringValue: 'o-9' } }]));
    expect(spans[2]!.status).toEqual({ code: 2, message: 'boom' });
    await a.close();
    await new Promise<void>((ok) => receiver.close(() => ok()));
    rmSync(other, { recursive: true, force: true });
  });
});
