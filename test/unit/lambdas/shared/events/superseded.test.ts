import { stockLevelKey } from '../../../../../lambdas/catalog/domain/signals';
import { superseded } from '../../../../../lambdas/shared/events/consumer';
import { newEvent, type EventEnvelope } from '../../../../../lambdas/shared/events/envelope';

const level = (productId: string, available: number, version?: number, type = 'inventory.stock.changed') =>
  newEvent('inventory', type, productId, { product_id: productId, available, reserved: 0, ...(version === undefined ? {} : { version }) });

describe('superseded: of the state reports of one key in a batch, only the newest is handled', () => {
  const skipped = (batch: EventEnvelope[]) => {
    const out = superseded(batch, (e) => e, stockLevelKey);
    return batch.map((e, i) => (out.has(e) ? i : -1)).filter((i) => i >= 0);
  };

  it('skips every level of a product but its highest version, per product', () => {
    const batch = [level('P1', 9, 1), level('P2', 5, 7), level('P1', 8, 2), level('P1', 7, 3), level('P2', 4, 8)];
    expect(skipped(batch)).toEqual([0, 1, 2]);
  });

  it('keeps the highest version even when it is not the last in the batch (a redelivered older level after it)', () => {
    expect(skipped([level('P1', 7, 3), level('P1', 9, 1)])).toEqual([1]);
  });

  it('of equal versions (a level and its low-stock alert), keeps the last', () => {
    expect(skipped([level('P1', 2, 4), level('P1', 2, 4, 'inventory.stock.low')])).toEqual([0]);
  });

  it('never skips what reports no versioned level: other events, levels without a version', () => {
    const order = newEvent('orders', 'order.confirmed', 'o1', { items: [{ product_id: 'P1', quantity: 1 }] });
    const reserved = newEvent('inventory', 'inventory.stock.reserved', 'o1', { items: [{ product_id: 'P1', quantity: 1 }] });
    const batch = [order, reserved, level('P1', 5), level('P1', 4), level('P1', 3, 2), level('P1', 2, 3)];
    expect(skipped(batch)).toEqual([4]);
  });
});
