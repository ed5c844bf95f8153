/**
 * The saga's confirm-step crash through the API: the Orders task function's execution
 * environment dies (`process.exit`) on every attempt at ConfirmOrder, after stock was reserved and
 * the card charged. The saga compensates in reverse order — the refund first, then the release —
 * and cancels the order. The order is read in the step history (/status, with times), in the
 * order's own event log, and at each store: the payment REFUNDED for its whole amount (the
 * provider's charge refunded), the stock back, the reservation RELEASED.
 */
import { checkInvariants } from '../support/invariants';
import { call, endpoints, uniqueId } from '../support/local-cloud';
import { closeSagaClients, endedStatus, orderEnds, paymentOf, placeOrder, reservationOf, sagaProduct, stockOf } from '../support/saga';

afterAll(() => closeSagaClients());

interface Step {
  name: string;
  outcome: string;
  started_at: string;
  ended_at: string;
  error: string | null;
  attempts: number;
}

describe('saga: a crash in the confirm step', () => {
  it('refunds, then releases, then cancels: the order of the steps in /status and in the log', async () => {
    const product = await sagaProduct({ price: 7.5, stock: 4 });
    const res = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 3 }], { fault: 'confirm=crash' });
    expect(res.status).toBe(202);
    const id: string = res.body.order_id;

    const order = await orderEnds(id, 90_000);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancellation).toMatchObject({ reason: 'internal_error', failed_step: 'confirm' });
    expect(order.cancellation.message).toMatch(/refunded/i);

    // the order's log: paid, the confirm failed, then PaymentRefunded strictly before InventoryReleased
    const log = (await call(`/api/orders/${id}/events`)).body as { events: Array<{ seq: number; type: string; at: string; data: any }> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(log.events.map((e) => e.type)).toEqual(['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'SagaStepFailed', 'PaymentRefunded', 'InventoryReleased', 'OrderCancelled']);
    const refunded = log.events.find((e) => e.type === 'PaymentRefunded')!;
    const released = log.events.find((e) => e.type === 'InventoryReleased')!;
    expect(refunded.seq).toBeLessThan(released.seq);
    expect(Date.parse(refunded.at)).toBeLessThanOrEqual(Date.parse(released.at));
    expect(refunded.data).toMatchObject({ status: 'REFUNDED' });
    expect(log.events.find((e) => e.type === 'SagaStepFailed')!.data).toMatchObject({ step: 'confirm' });

    // the saga's steps: ConfirmOrder failed (the crash), then the compensations in reverse order
    const status = await endedStatus(id, 90_000);
    expect(status.saga.status).toBe('SUCCEEDED');
    const steps = status.steps as Step[];
    expect(steps.map((s) => s.name)).toEqual([
      'ReserveInventory',
      'RecordReserved',
      'TakePayment',
      'RecordPaid',
      'ConfirmOrder',
      'RecordFailure',
      'RefundPayment',
      'RecordRefunded',
      'ReleaseInventory',
      'RecordReleased',
      'CancelOrder',
      'PublishCancelled',
    ]);
    const confirm = steps.find((s) => s.name === 'ConfirmOrder')!;
    // a crashed function is Lambda's Runtime.ExitError, which the definition catches without a retry
    expect(confirm).toMatchObject({ outcome: 'failed', error: 'Runtime.ExitError', attempts: 1 });
    const refund = steps.find((s) => s.name === 'RefundPayment')!;
    const release = steps.find((s) => s.name === 'ReleaseInventory')!;
    expect([refund.outcome, release.outcome]).toEqual(['succeeded', 'succeeded']);
    expect(Date.parse(refund.ended_at)).toBeLessThanOrEqual(Date.parse(release.started_at));
    expect(Date.parse(confirm.ended_at)).toBeLessThanOrEqual(Date.parse(refund.started_at));

    // each store: the money back whole, the stock back, the reservation released
    expect(await paymentOf(id)).toMatchObject({ status: 'REFUNDED', amount_minor: 2250, refund: { amount_minor: 2250, reason: 'confirm' } });
    expect(await stockOf(product)).toMatchObject({ available: 4, reserved: 0 });
    expect(await reservationOf(id)).toMatchObject({ status: 'RELEASED', lines: [{ product_id: product, quantity: 3 }] });
    const report = await checkInvariants(endpoints(), { orderIds: [id], products: { [product]: { initial: 4 } }, provider: true });
    expect(report.violations).toEqual([]);
    expect(report.details[0]).toMatchObject({ payment: 'REFUNDED', provider: 'refunded' });
  });
});
