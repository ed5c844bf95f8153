/**
 * A retried POST /api/orders with the same Idempotency-Key, end to end: retries while the first
 * is running, and again after its saga ended, all answer the first order, and the platform does
 * everything once — one order for the user, one saga execution, the stock taken once, one payment
 * at Payments with one attempt, and one charge at the provider (its own call counters, and its
 * charges under the order's payment key).
 * The provider's counters are global: this relies on the e2e files running one at a time (Jest's
 * single worker on this machine's two cores), as the outage test does.
 */
import { DynamoDBClient, ListTablesCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { checkInvariants } from '../support/invariants';
import { awsClientConfig, call, endpoints, uniqueId } from '../support/local-cloud';
import { providerStats } from '../support/payments';
import { closeSagaClients, endedStatus, orderEnds, paymentOf, placeOrder, sagaProduct, stepFunctions, stockOf } from '../support/saga';

const db = new DynamoDBClient(awsClientConfig());
afterAll(() => {
  db.destroy();
  closeSagaClients();
});

/** The payments of an order, counted through the table's by_order index (not by the derived id). */
async function paymentsOfOrder(orderId: string): Promise<number> {
  const table = (await db.send(new ListTablesCommand({}))).TableNames!.find((n) => n.includes('-PaymentsTable'))!;
  const out = await db.send(
    new QueryCommand({ TableName: table, IndexName: 'by_order', KeyConditionExpression: 'order_id = :o', ExpressionAttributeValues: { ':o': { S: orderId } }, Select: 'COUNT' }),
  );
  return out.Count!;
}

describe('saga: a retried POST with the same Idempotency-Key', () => {
  it('places one order, runs one saga, takes the stock once and charges once, at Payments and at the provider', async () => {
    const product = await sagaProduct({ price: 19.99, stock: 10 });
    const user = uniqueId('user');
    const key = uniqueId('idem');
    const before = await providerStats();

    // the client's request and three retries at once (a retry while the first runs may be told 409 request_in_progress)
    const burst = await Promise.all([1, 2, 3, 4].map(() => placeOrder(user, [{ product_id: product, quantity: 2 }], { idempotencyKey: key })));
    for (const a of burst) expect([202, 409]).toContain(a.status);
    const accepted = burst.filter((a) => a.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    const ids = new Set(accepted.map((a) => a.body.order_id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    for (const a of burst.filter((x) => x.status === 409)) expect(a.body.error.code).toBe('request_in_progress');

    const order = await orderEnds(id);
    expect(order.status).toBe('COMPLETED');

    // a retry after the saga ended: the first answer again, nothing started
    const late = await placeOrder(user, [{ product_id: product, quantity: 2 }], { idempotencyKey: key });
    expect(late.status).toBe(202);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(late.body).toEqual(accepted[0]!.body);

    // one order, one saga execution
    const list = await call(`/api/orders?user_id=${encodeURIComponent(user)}`);
    expect(list.body.items.map((o: { order_id: string }) => o.order_id)).toEqual([id]);
    const status = await endedStatus(id);
    expect(status.executions).toHaveLength(1);
    expect(status.steps.filter((s: { name: string }) => s.name === 'TakePayment')).toEqual([expect.objectContaining({ outcome: 'succeeded', attempts: 1 })]);
    const executions = await stepFunctions().send(
      new ListExecutionsCommand({ stateMachineArn: status.saga.execution_arn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''), maxResults: 1000 }),
    );
    expect(executions.executions!.filter((e) => e.name!.startsWith(id))).toHaveLength(1);

    // the stock taken once
    expect(await stockOf(product)).toMatchObject({ available: 8, reserved: 0 });

    // one payment at Payments, charged in one attempt
    expect(await paymentsOfOrder(id)).toBe(1);
    expect(await paymentOf(id)).toMatchObject({ status: 'CAPTURED', amount_minor: 3998, attempts: 1 });

    // one charge at the provider: one charge call, approved; and one charge under the order's key
    const after = await providerStats();
    expect(after.calls.charge - before.calls.charge).toBe(1);
    expect((after.outcomes.approved ?? 0) - (before.outcomes.approved ?? 0)).toBe(1);
    const report = await checkInvariants(endpoints(), { orderIds: [id], products: { [product]: { initial: 10 } }, provider: true });
    expect(report.violations).toEqual([]);
    expect(report.details[0]).toMatchObject({ status: 'COMPLETED', payment: 'CAPTURED', provider: 'charged 3998' });
  });
});
