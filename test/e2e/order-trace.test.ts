/**
 * Issue 12, traces: an order placed through the API is one X-Ray trace from API Gateway through
 * the create-order function, the saga's state machine and each of its states, the task functions
 * with their DynamoDB, Redis and payment-provider calls, the Kafka publish and its consumers;
 * found by `annotation.order_id`, read whole by BatchGetTraces (`@aws-sdk/client-xray` against
 * the edge), and exported as OTLP spans, parent links intact, to a receiver the test runs.
 */
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { SegmentDocument } from '../../local/xray/segments';
import { awsClientConfig, endpoints } from '../support/local-cloud';
import { placeOrder, user123, type PlacedOrder } from '../support/order-flow';
import { orderableProduct } from '../support/orders';
import { startOtlpReceiver, attribute, type OtlpReceiver } from '../support/otlp-receiver';
import { eventually } from '../support/poll';

const xray = new XRayClient(awsClientConfig());
const sfn = new SFNClient(awsClientConfig());
let receiver: OtlpReceiver;

const otlpSwitch = (method: 'PUT' | 'DELETE', endpoint?: string) =>
  fetch(`${endpoints().edge_url}/_local/xray/otlp`, { method, body: endpoint ? JSON.stringify({ endpoint }) : undefined });

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const res = await otlpSwitch('PUT', receiver.url);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ endpoint: `${receiver.url}/v1/traces` });
  await user123();
});

afterAll(async () => {
  await otlpSwitch('DELETE');
  await receiver.close();
  xray.destroy();
  sfn.destroy();
});

/** Every document of a trace with its (sub)segments, each with the id of what it hangs under. */
function flatten(docs: SegmentDocument[]): Array<SegmentDocument & { parent: string | undefined }> {
  const out: Array<SegmentDocument & { parent: string | undefined }> = [];
  const visit = (d: SegmentDocument, parent: string | undefined) => {
    out.push({ ...d, parent });
    for (const s of d.subsegments ?? []) visit(s, d.id);
  };
  for (const d of docs) visit(d, d.parent_id);
  return out;
}

/** Every parent a document names is in the trace (only the API's segment is a root), and none is still in progress. */
function whole(f: ReturnType<typeof flatten>): boolean {
  const ids = new Set(f.map((s) => s.id));
  return f.every((s) => !s.in_progress && (s.parent === undefined ? s.origin === 'AWS::ApiGateway::Stage' : ids.has(s.parent)));
}

async function traceOf(traceId: string): Promise<SegmentDocument[]> {
  const out = await xray.send(new BatchGetTracesCommand({ TraceIds: [traceId] }));
  return (out.Traces?.[0]?.Segments ?? []).map((s) => JSON.parse(s.Document!) as SegmentDocument);
}

const window = () => ({ StartTime: new Date(Date.now() - 15 * 60_000), EndTime: new Date(Date.now() + 60_000) });

/** The states the execution entered, in order, from its history. */
async function statesEntered(executionArn: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    for (const e of out.events ?? []) if (e.stateEnteredEventDetails?.name) names.push(e.stateEnteredEventDetails.name);
    nextToken = out.nextToken;
  } while (nextToken);
  return names;
}

describe('an order traced end to end', () => {
  let order: PlacedOrder;
  let docs: SegmentDocument[];
  let all: ReturnType<typeof flatten>;

  beforeAll(async () => {
    const productId = await orderableProduct({ price: 21.0, stock: 50 });
    order = await placeOrder({ items: [{ product_id: productId, quantity: 2 }] }, ['COMPLETED'], 90_000);
    expect(order.trace_id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    // the trace is whole once the execution's segment is complete and a consumer handled order.confirmed
    docs = await eventually(
      "the order's trace through the saga's end and a consumer of order.confirmed",
      async () => {
        const d = await traceOf(order.trace_id);
        const f = flatten(d);
        const saga = d.find((s) => s.origin === 'AWS::StepFunctions::StateMachine');
        const notified = f.some((s) => s.name === '### order.confirmed' && flatten([s]).some((x) => x.aws?.operation === 'SendEmail'));
        return saga && !saga.in_progress && notified && whole(f) ? d : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    all = flatten(docs);
  }, 180_000);

  it('is found by GetTraceSummaries with annotation.order_id, as one trace', async () => {
    const found = await xray.send(new GetTraceSummariesCommand({ ...window(), FilterExpression: `annotation.order_id = "${order.order_id}"` }));
    const ids = found.TraceSummaries!.map((s) => s.Id!);
    expect(ids).toContain(order.trace_id);
    // any other trace annotated with the order is a consumer's batch that mixed traces: it links to the order's
    for (const other of ids.filter((id) => id !== order.trace_id)) {
      const links = flatten(await traceOf(other)).flatMap((s) => s.links ?? []);
      expect({ other, linksToOrder: links.some((l) => l.trace_id === order.trace_id) }).toEqual({ other, linksToOrder: true });
    }
    const summary = found.TraceSummaries!.find((s) => s.Id === order.trace_id)!;
    expect(summary.EntryPoint).toMatchObject({ Name: 'ecommerce-api/v1' });
    expect(summary.Http).toMatchObject({ HttpMethod: 'POST', HttpStatus: 202 });
  });

  it('covers API Gateway, the create-order function and its DynamoDB write', () => {
    const stage = docs.find((d) => d.origin === 'AWS::ApiGateway::Stage')!;
    expect(stage).toMatchObject({ name: 'ecommerce-api/v1', http: { request: { method: 'POST' }, response: { status: 202 } } });
    expect(stage.parent_id).toBeUndefined();
    const invoke = stage.subsegments!.find((s) => s.name === 'Lambda')!;
    const service = docs.find((d) => d.origin === 'AWS::Lambda' && d.parent_id === invoke.id)!;
    expect(service.name).toMatch(/OrdersApi/);
    const fn = docs.find((d) => d.origin === 'AWS::Lambda::Function' && d.parent_id === service.id)!;
    const handler = fn.subsegments!.find((s) => s.name.startsWith('## '))!;
    expect(handler.annotations).toMatchObject({ service: 'orders', order_id: order.order_id });
    const writes = flatten([handler]).filter((s) => s.name === 'DynamoDB').map((s) => s.aws!.operation);
    expect(writes).toContain('TransactWriteItems'); // the OrderPlaced event, the read model and the outbox, together
  });

  it('covers the state machine, each state it entered, and the task functions with their DynamoDB, Redis and provider calls', async () => {
    const createOrder = docs.find((d) => d.origin === 'AWS::Lambda::Function' && d.name.includes('OrdersApi'))!;
    const saga = docs.find((d) => d.origin === 'AWS::StepFunctions::StateMachine')!;
    expect(saga).toMatchObject({ name: 'ecommerce-order-saga', aws: { execution_arn: order.saga_id } });
    expect(saga.fault ?? false).toBe(false);
    // the execution continues the request that placed the order: its parent is the create-order function
    expect(saga.parent_id).toBe(createOrder.id);
    const entered = await statesEntered(order.saga_id);
    expect(entered).toEqual(['Mode', 'ReserveInventory', 'RecordReserved', 'TakePayment', 'RecordPaid', 'ConfirmOrder', 'CommitInventory', 'RecordCommitted', 'PublishConfirmed', 'Confirmed']);
    expect(saga.subsegments!.map((s) => s.name)).toEqual(entered);

    /** The function a Lambda task state invoked: its AWS::Lambda::Function segment, with the handler's subsegments. */
    const taskFunction = (state: string) => {
      const sub = saga.subsegments!.find((s) => s.name === state)!;
      const service = docs.find((d) => d.origin === 'AWS::Lambda' && d.parent_id === sub.id);
      expect({ state, service: service?.name }).toEqual({ state, service: expect.any(String) });
      const fn = docs.find((d) => d.origin === 'AWS::Lambda::Function' && d.parent_id === service!.id)!;
      const handler = fn.subsegments!.find((s) => s.name.startsWith('## '))!;
      return { name: fn.name, handler, calls: flatten([fn]) };
    };
    const lambdaStates = entered.filter((s) => !['Mode', 'PublishConfirmed', 'Confirmed'].includes(s));
    for (const state of lambdaStates) {
      const { handler } = taskFunction(state);
      expect({ state, order_id: handler.annotations?.order_id }).toEqual({ state, order_id: order.order_id });
    }
    const reserve = taskFunction('ReserveInventory');
    expect(reserve.name).toMatch(/InventoryTasks/);
    expect(reserve.calls.filter((s) => s.name === 'DynamoDB').map((s) => s.aws!.operation)).toContain('TransactWriteItems');
    const payment = taskFunction('TakePayment');
    expect(payment.name).toMatch(/PaymentsTasks/);
    expect(payment.calls.filter((s) => s.name === 'DynamoDB').length).toBeGreaterThan(0);
    expect(payment.calls.filter((s) => s.name === 'Redis' && s.namespace === 'remote').length).toBeGreaterThan(0);
    const provider = payment.calls.filter((s) => s.namespace === 'remote' && s.http?.request?.url !== undefined);
    expect(provider.map((s) => [s.http!.request!.method, new URL(s.http!.request!.url!).pathname, s.http!.response?.status])).toContainEqual(['POST', '/v1/charges', 200]);
    for (const state of ['RecordReserved', 'RecordPaid', 'ConfirmOrder', 'RecordCommitted']) {
      expect(taskFunction(state).calls.filter((s) => s.name === 'DynamoDB').map((s) => s.aws!.operation)).toContain('TransactWriteItems');
    }
  });

  it('covers the Kafka publish of order.confirmed and a consumer of it', () => {
    const publishes = all.filter((s) => s.namespace === 'remote' && s.aws?.operation === 'Produce');
    const confirmedPublish = publishes.filter((p) => p.name === 'order-events');
    expect(confirmedPublish.length).toBeGreaterThanOrEqual(2); // order.placed and order.confirmed
    const pollers = docs.filter((d) => d.origin === 'AWS::Lambda::EventSourceMapping');
    expect(pollers.every((p) => publishes.some((x) => x.id === p.parent_id))).toBe(true);
    const consumer = all.find((s) => s.name === '### order.confirmed' && s.annotations?.order_id === order.order_id);
    expect(consumer).toBeDefined();
    const notified = all.filter((s) => s.name === '### order.confirmed').flatMap((s) => flatten([s])).map((s) => s.aws?.operation);
    expect(notified).toEqual(expect.arrayContaining(['SendEmail', 'Publish']));
  });

  it('arrives as OTLP spans at the receiver, with the same ids and parent links', async () => {
    const traceId = order.trace_id.slice(2).replace('-', '');
    // what X-Ray holds of the trace now (late consumers may have added to it), all of it at the receiver, no span without its parent
    let want = all;
    const spans = await eventually(
      'the spans of the whole trace at the OTLP receiver',
      async () => {
        const now = flatten(await traceOf(order.trace_id));
        if (!whole(now)) return undefined;
        want = now;
        const got = receiver.spans().filter((s) => s.traceId === traceId);
        const ids = new Set(got.map((s) => s.spanId));
        return want.every((s) => ids.has(s.id)) && got.every((s) => !s.parentSpanId || ids.has(s.parentSpanId)) ? got : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const s of want) {
      const span = byId.get(s.id)!;
      expect({ id: s.id, name: span.name, parent: span.parentSpanId }).toEqual({ id: s.id, name: s.name, parent: s.parent });
    }
    // every parent named is a span of the trace: the tree is whole (only API Gateway's segment is a root)
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots.map((s) => s.name)).toEqual(['ecommerce-api/v1']);
    const orphans = spans.filter((s) => s.parentSpanId && !byId.has(s.parentSpanId));
    expect(orphans).toEqual([]);
    const SERVER = 2;
    const CLIENT = 3;
    expect(byId.get(roots[0]!.spanId)!.kind).toBe(SERVER);
    const saga = want.find((s) => s.origin === 'AWS::StepFunctions::StateMachine')!;
    expect(byId.get(saga.id)!.kind).toBe(SERVER);
    const dynamo = want.find((s) => s.name === 'DynamoDB')!;
    expect(byId.get(dynamo.id)!.kind).toBe(CLIENT);
    const handler = want.find((s) => s.name.startsWith('## ') && s.annotations?.order_id === order.order_id)!;
    expect(attribute(byId.get(handler.id)!, 'order_id')).toBe(order.order_id);
  });
});
