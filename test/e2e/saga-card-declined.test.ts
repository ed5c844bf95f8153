/**
 * The saga's declined-card branch through the API: the stock was reserved, the provider declined
 * the card, so the saga compensates — the refund finds nothing captured (and calls no one), the
 * release gives the stock back — and cancels the order with the decline's reason. Checked at
 * every store: the stock as it was, the reservation RELEASED, the payment DECLINED with the
 * provider's code, and at the provider a failed charge and no capture.
 */
import { CARDS } from '../support/payments';
import { checkInvariants } from '../support/invariants';
import { endpoints, uniqueId } from '../support/local-cloud';
import { closeSagaClients, endedStatus, eventTypes, orderEnds, paymentOf, placeOrder, reservationOf, sagaProduct, stockOf } from '../support/saga';

afterAll(() => closeSagaClients());

describe('saga: card declined', () => {
  it('releases the stock, records the payment DECLINED, captures nothing, and cancels with the decline code', async () => {
    const product = await sagaProduct({ price: 12, stock: 5 });
    const res = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 2 }], { card: CARDS.declined });
    expect(res.status).toBe(202);
    const id: string = res.body.order_id;

    const order = await orderEnds(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancellation).toMatchObject({ reason: 'payment_declined', failed_step: 'payment', decline_code: 'card_declined' });
    expect(await eventTypes(id)).toEqual(['OrderPlaced', 'InventoryReserved', 'SagaStepFailed', 'PaymentRefunded', 'InventoryReleased', 'OrderCancelled']);

    // the stock is back (reserved, then released: two versions later), the reservation released
    expect(await stockOf(product)).toMatchObject({ available: 5, reserved: 0, version: 3 });
    expect(await reservationOf(id)).toMatchObject({ status: 'RELEASED', lines: [{ product_id: product, quantity: 2 }] });

    // the payment: declined once with the provider's code, never captured nor refunded
    expect(await paymentOf(id)).toMatchObject({ order_id: id, status: 'DECLINED', decline_code: 'card_declined', amount_minor: 2400, attempts: 1, provider_reference: expect.stringMatching(/^ch_/) });
    expect((await paymentOf(id))!.refund).toBeUndefined();

    // the saga: declined at once (a business refusal is not retried), refund (nothing to refund), then release
    const status = await endedStatus(id);
    expect(status.saga.status).toBe('SUCCEEDED');
    expect(status.steps.map((s: { name: string }) => s.name)).toEqual([
      'ReserveInventory',
      'RecordReserved',
      'TakePayment',
      'RecordFailure',
      'RefundPayment',
      'RecordRefunded',
      'ReleaseInventory',
      'RecordReleased',
      'CancelOrder',
      'PublishCancelled',
    ]);
    expect(status.steps[2]).toMatchObject({ name: 'TakePayment', outcome: 'failed', error: 'PaymentDeclinedError', attempts: 1 });
    // the cause comes with the execution's data only: the status reads it for a history with a failure
    expect(status.steps[2].cause).toMatch(/declin/i);
    const log = (await (await fetch(`${endpoints().api_url}/api/orders/${id}/events`, { headers: { 'x-api-key': endpoints().api_keys.internal! } })).json()) as { events: Array<{ type: string; data: unknown }> };
    expect(log.events.find((e) => e.type === 'PaymentRefunded')!.data).toEqual({ status: 'NOTHING_TO_REFUND' });

    // the provider kept the declined charge: no capture, so nothing to refund (invariants read it by the order's key)
    const report = await checkInvariants(endpoints(), { orderIds: [id], products: { [product]: { initial: 5 } }, provider: true });
    expect(report.violations).toEqual([]);
    expect(report.details[0]).toMatchObject({ reservation: 'RELEASED(1 lines)', payment: 'DECLINED', provider: 'none' });
  });

  it.each([
    ['insufficient funds', CARDS.insufficientFunds, 'insufficient_funds'],
    ['an expired card', CARDS.expired, 'expired_card'],
  ])('cancels on %s with its code and gives the stock back', async (_what, card, code) => {
    const product = await sagaProduct({ price: 3, stock: 2 });
    const res = await placeOrder(uniqueId('user'), [{ product_id: product, quantity: 2 }], { card });
    const order = await orderEnds(res.body.order_id);
    expect(order.cancellation).toMatchObject({ reason: 'payment_declined', decline_code: code });
    expect(await stockOf(product)).toMatchObject({ available: 2, reserved: 0 });
    expect(await paymentOf(res.body.order_id)).toMatchObject({ status: 'DECLINED', decline_code: code });
  });
});
