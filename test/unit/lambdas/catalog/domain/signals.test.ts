import { popularitySignals, stockSignals } from '../../../../../lambdas/catalog/domain/signals';
import { newEvent } from '../../../../../lambdas/shared/events/envelope';

describe('reading other services events', () => {
  it('takes stock records from inventory.stock.* events, single or listed', () => {
    expect(stockSignals(newEvent('inventory', 'inventory.stock.restocked', 'P1', { product_id: 'P1', available: 12, reserved: 0, version: 3 }))).toEqual([
      { productId: 'P1', available: 12, stockVersion: 3 },
    ]);
    expect(
      stockSignals(newEvent('inventory', 'inventory.stock.reserved', 'o1', { items: [{ product_id: 'P1', available: 1 }, { product_id: 'P2', available: 0, version: 9 }] })),
    ).toEqual([
      { productId: 'P1', available: 1, stockVersion: undefined },
      { productId: 'P2', available: 0, stockVersion: 9 },
    ]);
    expect(stockSignals(newEvent('inventory', 'inventory.reservation.created', 'o1', { product_id: 'P1', available: 1 }))).toEqual([]);
    expect(stockSignals(newEvent('inventory', 'inventory.stock.restocked', 'P1', { product_id: 'P1' }))).toEqual([]);
  });

  it('sums the units of each product in order.confirmed, ignores other order events', () => {
    const items = [
      { product_id: 'P1', quantity: 2, price: 10 },
      { product_id: 'P2', quantity: 1 },
      { product_id: 'P1', quantity: 3 },
    ];
    expect(popularitySignals(newEvent('orders', 'order.confirmed', 'o1', { order_id: 'o1', items }))).toEqual([
      { productId: 'P1', quantity: 5 },
      { productId: 'P2', quantity: 1 },
    ]);
    expect(popularitySignals(newEvent('orders', 'order.cancelled', 'o1', { items }))).toEqual([]);
    expect(popularitySignals(newEvent('orders', 'order.confirmed', 'o1', { items: [] }))).toEqual([]);
  });
});
