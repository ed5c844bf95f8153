/**
 * The saga's out-of-stock branch through the API: an order with one line in stock and one not is
 * cancelled as out of stock with nothing reserved (all or none: neither product's stock record
 * moved, not even the line that was available) and nothing charged (Payments has no payment for
 * the order, the provider no charge under its key). The compensation that ran is the release
 * alone, which leaves a tombstone so that a late reserve cannot take stock afterwards.
 */
import { checkInvariants } from '../support/invariants';
import { endpoints, uniqueId } from '../support/local-cloud';
import { closeSagaClients, endedStatus, eventTypes, orderEnds, paymentOf, placeOrder, reservationOf, sagaProduct, stockOf } from '../support/saga';

afterAll(() => closeSagaClients());

describe('saga: out of stock', () => {
  it('cancels the order with its reason, reserves nothing (not even the line in stock) and charges nothing', async () => {
    const [plenty, scarce] = await Promise.all([sagaProduct({ price: 4, stock: 10 }), sagaProduct({ price: 6, stock: 1 })]);
    const before = await Promise.all([stockOf(plenty), stockOf(scarce)]);

    const res = await placeOrder(uniqueId('user'), [
      { product_id: plenty, quantity: 2 },
      { product_id: scarce, quantity: 3 },
    ]);
    expect(res.status).toBe(202);
    const id: string = res.body.order_id;

    const order = await orderEnds(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancellation).toEqual({
      reason: 'out_of_stock',
      message: 'Some items in your order are out of stock, so it was cancelled. You have not been charged.',
      failed_step: 'reserve',
    });
    expect(await eventTypes(id)).toEqual(['OrderPlaced', 'SagaStepFailed', 'InventoryReleased', 'OrderCancelled']);

    // Inventory: neither record moved (same version), and the reservation is only a tombstone
    expect(await Promise.all([stockOf(plenty), stockOf(scarce)])).toEqual(before);
    expect(before.map((s) => [s.available, s.reserved])).toEqual([
      [10, 0],
      [1, 0],
    ]);
    expect(await reservationOf(id)).toMatchObject({ status: 'RELEASED', lines: [] });

    // Payments: no payment was ever made for the order (the refund step does not run after a failed reservation)
    expect(await paymentOf(id)).toBeUndefined();

    // the saga: the reservation failed by name, then only the release and the cancellation ran
    const status = await endedStatus(id);
    expect(status.saga).toMatchObject({ name: id, status: 'SUCCEEDED', error: null });
    expect(status.steps.map((s: { name: string; outcome: string }) => [s.name, s.outcome])).toEqual([
      ['ReserveInventory', 'failed'],
      ['RecordFailure', 'succeeded'],
      ['ReleaseInventory', 'succeeded'],
      ['RecordReleased', 'succeeded'],
      ['CancelOrder', 'succeeded'],
      ['PublishCancelled', 'succeeded'],
    ]);
    expect(status.steps[0]).toMatchObject({ error: 'InsufficientStockError', attempts: 1 });

    // and the provider has no charge under the order's payment key
    const report = await checkInvariants(endpoints(), { orderIds: [id], products: { [plenty]: { initial: 10 }, [scarce]: { initial: 1 } }, provider: true });
    expect(report.violations).toEqual([]);
    expect(report.details).toEqual([{ order_id: id, status: 'CANCELLED', reservation: 'RELEASED(0 lines)', payment: 'none', provider: 'none', duration_ms: expect.any(Number) }]);
  });
});
