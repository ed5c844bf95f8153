/**
 * The reconciler ending a stuck order, through the API and the Lambda API: an order's saga
 * reserved the stock and was stopped while its payment step was running (the step is held by a
 * `payment=delay` fault), so the order sits RESERVED holding stock, with no execution running.
 * The reconciler (the scheduled function, invoked as an operator does for one order) starts a
 * compensating execution, `<order>-reconcile-1`, which refunds (nothing was captured: the
 * payment is voided, so the late charge still in flight cannot capture), releases and cancels.
 * Then the stopped execution's own payment call wakes up and is refused (PaymentStateError).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ListRulesCommand, ListTargetsByRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { checkInvariants } from '../support/invariants';
import { awsClientConfig, call, endpoints, uniqueId } from '../support/local-cloud';
import { paymentsFunction, providerStats } from '../support/payments';
import { eventually } from '../support/poll';
import { closeSagaClients, endedStatus, eventTypes, orderEnds, paymentIdFor, paymentOf, placeOrder, reservationOf, sagaProduct, stepFunctions, stockOf } from '../support/saga';

const lambda = new LambdaClient({ ...awsClientConfig(), maxAttempts: 5 });
const events = new EventBridgeClient(awsClientConfig());
afterAll(() => {
  lambda.destroy();
  events.destroy();
  closeSagaClients();
});

const reconcilerFunction = () => {
  const name = endpoints().functions.find((f) => f.includes('OrdersReconcilerFn'));
  if (!name) throw new Error(`no reconciler among ${endpoints().functions.join(', ')}`);
  return name;
};

describe('saga: the reconciler ends a stuck order', () => {
  it('is scheduled by an EventBridge rule', async () => {
    const rules = await events.send(new ListRulesCommand({}));
    const scheduled = (rules.Rules ?? []).filter((r) => r.ScheduleExpression);
    const targets = await Promise.all(scheduled.map((r) => events.send(new ListTargetsByRuleCommand({ Rule: r.Name! }))));
    const reconcilerRules = scheduled.filter((_, i) => targets[i]!.Targets!.some((t) => t.Arn!.endsWith(`:function:${reconcilerFunction()}`)));
    expect(reconcilerRules.map((r) => [r.ScheduleExpression, r.State])).toEqual([['rate(1 minute)', 'ENABLED']]);
  });

  it('compensates an order whose saga stopped after reserving: stock released, nothing captured, CANCELLED as stuck_reconciled', async () => {
    const product = await sagaProduct({ price: 3, stock: 5 });
    const before = await providerStats();
    // Held for 20 s: the reconcile below (a Lambda call, an execution of four steps, one of them a
    // second Payments environment's cold start) must void the payment before the charge wakes; on a
    // loaded 2-core CI machine that took more than 8 s once, and the late charge then captured first.
    const res = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 2 }], { fault: 'payment=delay=20000' });
    expect(res.status).toBe(202);
    const id: string = res.body.order_id;
    const arn: string = res.body.saga_id;

    // the saga reserved and is held in TakePayment; it is stopped there (an operator, a lost execution)
    await eventually('the order to be RESERVED', async () => ((await call(`/api/orders/${id}`)).body.status === 'RESERVED' ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    await stepFunctions().send(new StopExecutionCommand({ executionArn: arn, error: 'OperatorStopped', cause: 'the e2e test stops the saga mid-way' }));
    expect((await stepFunctions().send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('ABORTED');
    // stuck: not at an end, holding the stock, nothing running for it
    expect((await call(`/api/orders/${id}`)).body.status).toBe('RESERVED');
    expect(await stockOf(product)).toMatchObject({ available: 3, reserved: 2 });

    const out = await lambda.send(new InvokeCommand({ FunctionName: reconcilerFunction(), Payload: Buffer.from(JSON.stringify({ order_id: id })) }));
    expect(out.FunctionError).toBeUndefined();
    const report = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    expect(report.orders).toEqual([{ orderId: id, status: 'RESERVED', action: { kind: 'compensate', name: `${id}-reconcile-1` } }]);

    const order = await orderEnds(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancellation).toMatchObject({ reason: 'stuck_reconciled', failed_step: 'reconcile' });
    expect(await eventTypes(id)).toEqual(['OrderPlaced', 'InventoryReserved', 'SagaStepFailed', 'PaymentRefunded', 'InventoryReleased', 'OrderCancelled']);

    const status = await endedStatus(id);
    expect(status.executions.map((e: { name: string; status: string }) => [e.name, e.status])).toEqual([
      [id, 'ABORTED'],
      [`${id}-reconcile-1`, 'SUCCEEDED'],
    ]);
    expect(status.saga).toMatchObject({ name: `${id}-reconcile-1`, status: 'SUCCEEDED' });
    // voided while the charge still sleeps: the ordering the rest of the test is about
    expect(await paymentOf(id)).toMatchObject({ order_id: id, status: 'VOIDED' });

    // the stopped saga's payment call, still in flight when it was stopped, wakes up and is refused
    const log = path.join(endpoints().data_dir, 'logs', `${paymentsFunction('Tasks')}.log`);
    await eventually(
      'the late charge to be refused',
      () => (readFileSync(log, 'utf8').split('\n').some((l) => l.includes('"error":"PaymentStateError"') && l.includes(paymentIdFor(id))) ? true : undefined),
      { timeoutMs: 40_000, intervalMs: 200 },
    );

    // every store: the stock back, the reservation released, the payment voided, no charge at the provider
    expect(await stockOf(product)).toMatchObject({ available: 5, reserved: 0 });
    expect(await reservationOf(id)).toMatchObject({ status: 'RELEASED', lines: [{ product_id: product, quantity: 2 }] });
    expect(await paymentOf(id)).toMatchObject({ order_id: id, status: 'VOIDED' });
    const after = await providerStats();
    expect(after.calls.charge - before.calls.charge).toBe(0);
    const check = await checkInvariants(endpoints(), { orderIds: [id], products: { [product]: { initial: 5 } }, provider: true });
    expect(check.violations).toEqual([]);
    expect(check.details[0]).toMatchObject({ status: 'CANCELLED', reservation: 'RELEASED(1 lines)', payment: 'VOIDED', provider: 'none' });
  });
});
