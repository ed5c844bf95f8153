/**
 * The saga's happy path through the API: an order for two lines is accepted (202, its saga named
 * by the order), reserved, paid, confirmed and its stock committed. Checked at every store: the
 * order COMPLETED with its log in order, both products' stock taken for good (nothing left
 * reserved), the reservation COMMITTED, one payment CAPTURED for the total in one attempt, and
 * at the provider exactly one charge call, approved, standing unrefunded.
 * The provider's counters are global: this relies on the e2e files running one at a time (Jest's
 * single worker on this machine's two cores), as the idempotency and outage tests do.
 */
import { checkInvariants } from '../support/invariants';
import { endpoints, uniqueId } from '../support/local-cloud';
import { providerStats } from '../support/payments';
import { closeSagaClients, endedStatus, eventTypes, orderEnds, paymentOf, placeOrder, reservationOf, sagaProduct, stockOf } from '../support/saga';

afterAll(() => closeSagaClients());

const HAPPY_STEPS = ['ReserveInventory', 'RecordReserved', 'TakePayment', 'RecordPaid', 'ConfirmOrder', 'CommitInventory', 'RecordCommitted', 'PublishConfirmed'];

describe('saga: the happy path', () => {
  it('reserves, charges once, confirms and commits: COMPLETED, the stock taken, one capture', async () => {
    const [a, b] = await Promise.all([sagaProduct({ price: 45, stock: 10 }), sagaProduct({ price: 0.99, stock: 3 })]);
    const before = await providerStats();
    const user = uniqueId('user');

    const res = await placeOrder(user, [
      { product_id: a, quantity: 2, price: 45 },
      { product_id: b, quantity: 3 },
    ]);
    expect(res.status).toBe(202);
    const id: string = res.body.order_id;
    expect(res.body).toMatchObject({ order_id: id, status: 'PLACED', total: 92.97, currency: 'USD' });
    expect(res.body.saga_id).toMatch(new RegExp(`:execution:ecommerce-order-saga:${id}$`));

    const order = await orderEnds(id);
    expect(order).toMatchObject({ order_id: id, user_id: user, status: 'COMPLETED', total_minor: 9297, currency: 'USD' });
    expect(order.cancellation).toBeUndefined();
    // the order was CONFIRMED (its event) before the stock was committed and it completed
    expect(await eventTypes(id)).toEqual(['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderConfirmed', 'InventoryCommitted']);

    // Inventory: taken for good (created, reserved, committed: three versions), nothing held
    expect(await stockOf(a)).toMatchObject({ product_id: a, available: 8, reserved: 0, version: 3 });
    expect(await stockOf(b)).toMatchObject({ product_id: b, available: 0, reserved: 0, version: 3 });
    const reservation = await reservationOf(id);
    expect(reservation?.status).toBe('COMMITTED');
    expect([...reservation!.lines].sort((x, y) => x.product_id.localeCompare(y.product_id))).toEqual(
      [
        { product_id: a, quantity: 2 },
        { product_id: b, quantity: 3 },
      ].sort((x, y) => x.product_id.localeCompare(y.product_id)),
    );

    // Payments: one payment, captured for the total in one attempt, not refunded
    const payment = await paymentOf(id);
    expect(payment).toMatchObject({ order_id: id, user_id: user, status: 'CAPTURED', amount_minor: 9297, currency: 'USD', attempts: 1, provider_reference: expect.stringMatching(/^ch_/) });
    expect(payment!.refund).toBeUndefined();

    // the saga: every step once, succeeded
    const status = await endedStatus(id);
    expect(status.saga).toMatchObject({ execution_arn: res.body.saga_id, name: id, status: 'SUCCEEDED', error: null, redrive_count: 0 });
    expect(status.executions).toHaveLength(1);
    expect(status.steps.map((s: { name: string }) => s.name)).toEqual(HAPPY_STEPS);
    for (const step of status.steps) {
      expect(step).toMatchObject({ outcome: 'succeeded', error: null, attempts: 1 });
      expect(Date.parse(step.ended_at)).toBeGreaterThanOrEqual(Date.parse(step.started_at));
    }

    // the provider: one charge call, approved, and that charge stands under the order's payment key
    const after = await providerStats();
    expect(after.calls.charge - before.calls.charge).toBe(1);
    expect(after.calls.refund - before.calls.refund).toBe(0);
    expect((after.outcomes.approved ?? 0) - (before.outcomes.approved ?? 0)).toBe(1);
    const report = await checkInvariants(endpoints(), { orderIds: [id], products: { [a]: { initial: 10 }, [b]: { initial: 3 } }, provider: true });
    expect(report.violations).toEqual([]);
    expect(report.details).toEqual([{ order_id: id, status: 'COMPLETED', reservation: 'COMMITTED(2 lines)', payment: 'CAPTURED', provider: 'charged 9297', duration_ms: expect.any(Number) }]);
  });
});
