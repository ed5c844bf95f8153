/**
 * The saga's Orders steps through the Lambda API on the edge, as Step Functions calls them
 * (statemachines/README.md): the payloads the state machine sends, the results it selects
 * (`status`, `version`, `cancellation.reason`), idempotent repeats, and errors named for its
 * Retry/Catch.
 *
 * The orders are written straight into the store with a saga fault that holds their saga in its
 * first step (reserve=delay=15000) while the test drives them; their products exist nowhere, so
 * when the held saga resumes it touches no stock and is refused by the order's state.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDbOrderEventStore } from '../../../lambdas/orders/adapters/dynamodb/event-store';
import { newOrderEvent } from '../../../lambdas/orders/domain/events';
import { appendEvent } from '../../../lambdas/orders/use-cases/append';
import { awsClientConfig, call, endpoints, uniqueId } from '../../support/local-cloud';

const lambda = new LambdaClient({ ...awsClientConfig(), maxAttempts: 5 });
let store: DynamoDbOrderEventStore;

beforeAll(async () => {
  const client = new DynamoDBClient(awsClientConfig());
  const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  // by the construct's own id (`-OrdersTable<hash>`): Notifications has a `NotificationOrdersTable` too
  const find = (logicalId: string) => tables.find((name) => new RegExp(`-${logicalId}[0-9A-F]+$`).test(name))!;
  store = new DynamoDbOrderEventStore({ orderEvents: find('OrderEventsTable'), orders: find('OrdersTable'), outbox: find('OutboxTable') }, client);
  // a warm task function: the held saga gives the test 10 s (the Inventory task times out then)
  await invoke({ action: 'record', order_id: 'ord_warmup', event: { type: 'InventoryReserved', data: { reservation_id: 'x', status: 'RESERVED' } } });
});

async function invoke(payload: unknown) {
  const name = endpoints().functions.find((f) => f.includes('OrdersTasks'));
  if (!name) throw new Error(`no Orders tasks function in ${endpoints().functions.join(', ')}`);
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
  return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8') || 'null') };
}

async function heldOrder() {
  const orderId = `ord_${uniqueId('task').replace(/[^A-Za-z0-9]/g, '')}`;
  const at = new Date().toISOString();
  await appendEvent(store, orderId, () =>
    newOrderEvent(
      'OrderPlaced',
      {
        user_id: uniqueId('task-user'),
        lines: [{ product_id: uniqueId('NO-SUCH'), name: 'none', quantity: 2, unit_price_minor: 1500, line_total_minor: 3000, price_version: 1 }],
        total_minor: 3000,
        currency: 'USD',
        payment_method: { card_number: '4242424242424242' },
        placed_at: at,
        fault: { step: 'reserve', kind: 'delay=15000' },
        correlation_id: 'tasks-test',
        saga_id: `arn:aws:states:us-east-1:000000000000:execution:ecommerce-order-saga:${orderId}`,
        request_hash: 'h',
      },
      at,
    ),
  );
  return orderId;
}

const record = (orderId: string, type: string, data: unknown) => invoke({ action: 'record', order_id: orderId, event: { type, data }, correlation_id: 'c' });

describe("the saga's Orders steps through the Lambda API", () => {
  it('record, confirm: the happy path with the results the state machine selects, repeats changing nothing', async () => {
    const id = await heldOrder();
    const reserved = await record(id, 'InventoryReserved', { reservation_id: id, status: 'RESERVED' });
    expect(reserved.error).toBeUndefined();
    expect(reserved.body).toMatchObject({ order_id: id, status: 'RESERVED', version: 2, reservation_id: id });
    expect((await record(id, 'InventoryReserved', { reservation_id: id, status: 'RESERVED' })).body).toMatchObject({ status: 'RESERVED', version: 2 });
    expect((await record(id, 'PaymentCaptured', { payment_id: 'pay_1', status: 'CAPTURED', amount_minor: 3000, currency: 'USD' })).body).toMatchObject({ status: 'PAID', version: 3, payment_id: 'pay_1' });
    const confirmed = await invoke({ action: 'confirm', order_id: id, correlation_id: 'c', fault: null });
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED', version: 4 });
    expect((await invoke({ action: 'confirm', order_id: id, correlation_id: 'c', fault: null })).body).toMatchObject({ status: 'CONFIRMED', version: 4 });
    expect((await record(id, 'InventoryCommitted', { reservation_id: id, status: 'COMMITTED' })).body).toMatchObject({ status: 'COMPLETED', version: 5 });

    const log = await call(`/api/orders/${id}/events`);
    expect(log.body.events.map((e: { type: string }) => e.type)).toEqual(['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderConfirmed', 'InventoryCommitted']);
  });

  it('a failure, the compensations and cancel, whose result carries cancellation.reason', async () => {
    const id = await heldOrder();
    const cause = JSON.stringify({ errorType: 'PaymentDeclinedError', errorMessage: 'card declined: decline_code=insufficient_funds', trace: [] });
    expect((await record(id, 'SagaStepFailed', { step: 'payment', Error: 'PaymentDeclinedError', Cause: cause })).body).toMatchObject({ status: 'COMPENSATING', version: 2 });
    expect((await record(id, 'PaymentRefunded', { status: 'NOTHING_TO_REFUND' })).body).toMatchObject({ status: 'COMPENSATING', version: 3 });
    expect((await record(id, 'InventoryReleased', { reservation_id: id, status: 'RELEASED' })).body).toMatchObject({ status: 'COMPENSATING', version: 4 });
    const cancelled = await invoke({ action: 'cancel', order_id: id, failure: { step: 'payment', Error: 'PaymentDeclinedError', Cause: cause }, correlation_id: 'c' });
    expect(cancelled.error).toBeUndefined();
    expect(cancelled.body).toMatchObject({
      status: 'CANCELLED',
      version: 5,
      cancellation: { reason: 'payment_declined', decline_code: 'insufficient_funds', failed_step: 'payment', message: expect.stringContaining('insufficient funds') },
    });
    expect((await invoke({ action: 'cancel', order_id: id, failure: { step: 'payment', Error: 'PaymentDeclinedError', Cause: cause } })).body).toMatchObject({ version: 5, cancellation: { reason: 'payment_declined' } });
  });

  it('names its errors for the state machine: OrderStateError, ValidationError, and the injected fault of confirm', async () => {
    const id = await heldOrder();
    const early = await invoke({ action: 'confirm', order_id: id, correlation_id: 'c', fault: null });
    expect(early.error).toBe('Unhandled');
    expect(early.body.errorType).toBe('OrderStateError');
    expect(early.body.errorMessage).toBe(`order ${id} cannot take OrderConfirmed from PLACED`);
    const unknownOrder = await record(`ord_${uniqueId('none').replace(/[^A-Za-z0-9]/g, '')}`, 'InventoryReserved', { reservation_id: 'r', status: 'RESERVED' });
    expect(unknownOrder.body.errorType).toBe('OrderStateError');
    expect((await invoke({ action: 'ship', order_id: id })).body.errorType).toBe('ValidationError');
    expect((await record(id, 'OrderConfirmed', {})).body.errorType).toBe('ValidationError');
    expect((await record(id, 'InventoryReserved', { status: 'RESERVED' })).body.errorType).toBe('ValidationError');
    // fault injection is on in the test cloud: the saga's fault for confirm fails the step by name
    const faulted = await invoke({ action: 'confirm', order_id: id, correlation_id: 'c', fault: { step: 'confirm', kind: 'error' } });
    expect(faulted.body.errorType).toBe('InjectedFaultError');
    expect((await call(`/api/orders/${id}`)).body.version).toBe(1);
  });
});
