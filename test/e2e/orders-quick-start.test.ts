/**
 * The original README's quick start, call for call, through the API with the x-api-key header:
 * the catalog POST, GET /api/inventory, the order POST for PROD-001 (quantity 2, price 299.99),
 * then GET /api/orders/{id}/status showing the saga at its end with each step.
 *
 * The test cloud starts without the sample catalog (--no-seed), so PROD-001 is created first as
 * `npm start` loads it (409 if it is there already), and the test waits, as the start-up does,
 * until Orders can price it.
 */
import { SAMPLE_PRODUCTS } from '../../local/platform/sample-products';
import { QUICK_START_PRODUCT } from '../support/catalog';
import { call } from '../support/local-cloud';
import { orderable } from '../support/orders';
import { eventually } from '../support/poll';

describe("the original README's quick start, with an order", () => {
  it('creates a product, lists inventory, orders PROD-001, and /status shows the saga at its end with each step', async () => {
    const created = await call('/api/catalog', { key: 'standard', body: QUICK_START_PRODUCT });
    expect(created.status).toBe(201);
    const inventory = await call('/api/inventory', { key: 'standard' });
    expect(inventory.status).toBe(200);

    const prod001 = SAMPLE_PRODUCTS[0]!;
    expect(prod001.product_id).toBe('PROD-001');
    expect([201, 409]).toContain((await call('/api/catalog', { body: prod001 })).status);
    await orderable('PROD-001');
    await eventually('PROD-001 in inventory', async () => ((await call('/api/inventory/PROD-001')).status === 200 ? true : undefined));

    // the original's payload, unchanged
    const order = await call('/api/orders', {
      key: 'standard',
      method: 'POST',
      body: { user_id: 'user123', items: [{ product_id: 'PROD-001', quantity: 2, price: 299.99 }] },
    });
    expect(order.status).toBe(202);
    expect(order.body).toMatchObject({ status: 'PLACED', total: 599.98, currency: 'USD' });
    expect(order.body.saga_id).toBe(order.body.saga_id.replace(/[^:]+$/, order.body.order_id));

    const status = await eventually(
      'the saga to end',
      async () => {
        const res = await call(`/api/orders/${order.body.order_id}/status`, { key: 'standard' });
        return res.status === 200 && ['SUCCEEDED', 'FAILED'].includes(res.body.saga.status) ? res.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(status.saga.status).toBe('SUCCEEDED');
    expect(status.order).toMatchObject({ order_id: order.body.order_id, user_id: 'user123', status: 'COMPLETED', total_minor: 59998 });
    expect(status.steps.map((s: { name: string; outcome: string }) => [s.name, s.outcome])).toEqual(
      ['ReserveInventory', 'RecordReserved', 'TakePayment', 'RecordPaid', 'ConfirmOrder', 'CommitInventory', 'RecordCommitted', 'PublishConfirmed'].map((n) => [n, 'succeeded']),
    );
    for (const step of status.steps) expect(step.started_at <= step.ended_at).toBe(true);
  });
});
