/** Orders fixtures shared by the Orders unit tests: a placed order's event, a price list, a fixed clock. */
import { InMemoryOrderEventStore } from '../../../../lambdas/orders/adapters/in-memory/event-store';
import { InMemoryPriceStore } from '../../../../lambdas/orders/adapters/in-memory/price-store';
import { InMemorySagaExecutions } from '../../../../lambdas/orders/adapters/in-memory/saga-executions';
import { newOrderEvent, type NewOrderEvent, type OrderEvent, type OrderPlacedData } from '../../../../lambdas/orders/domain/events';
import type { PriceEntry } from '../../../../lambdas/orders/domain/pricing';

export const T0 = '2026-12-01T10:00:00.000Z';

/** A clock that moves one second per reading, from T0. */
export function tickingClock(start = T0) {
  let t = Date.parse(start);
  return () => {
    const now = new Date(t).toISOString();
    t += 1000;
    return now;
  };
}

export const SAGA_ARN = (orderId: string) => `arn:aws:states:us-east-1:000000000000:execution:ecommerce-order-saga:${orderId}`;

export function placedData(overrides: Partial<OrderPlacedData> = {}): OrderPlacedData {
  return {
    user_id: 'user123',
    lines: [{ product_id: 'PROD-001', name: 'Premium Headphones', quantity: 2, unit_price_minor: 29999, line_total_minor: 59998, price_version: 1 }],
    total_minor: 59998,
    currency: 'USD',
    payment_method: { card_number: '4242424242424242' },
    placed_at: T0,
    fault: null,
    correlation_id: 'corr-1',
    saga_id: SAGA_ARN('ord_1'),
    request_hash: 'hash-1',
    ...overrides,
  };
}

export const placed = (overrides: Partial<OrderPlacedData> = {}): NewOrderEvent => newOrderEvent('OrderPlaced', placedData(overrides), T0, 'corr-1');

/** The log of an order along the happy path up to (and including) `upTo` events. */
export function happyLog(upTo = 5): OrderEvent[] {
  const events: NewOrderEvent[] = [
    placed(),
    newOrderEvent('InventoryReserved', { reservation_id: 'ord_1', status: 'RESERVED' }, '2026-12-01T10:00:01.000Z'),
    newOrderEvent('PaymentCaptured', { payment_id: 'pay_1', status: 'CAPTURED', amount_minor: 59998, currency: 'USD' }, '2026-12-01T10:00:02.000Z'),
    newOrderEvent('OrderConfirmed', {}, '2026-12-01T10:00:03.000Z'),
    newOrderEvent('InventoryCommitted', { reservation_id: 'ord_1', status: 'COMMITTED' }, '2026-12-01T10:00:04.000Z'),
  ];
  return events.slice(0, upTo).map((e, i) => ({ ...e, seq: i + 1 }) as OrderEvent);
}

export function price(productId: string, priceMinor: number, overrides: Partial<PriceEntry> = {}): PriceEntry {
  return { productId, name: `Product ${productId}`, priceMinor, currency: 'USD', version: 1, deleted: false, updatedAt: T0, ...overrides };
}

export async function priceList(entries: PriceEntry[]) {
  const prices = new InMemoryPriceStore();
  for (const e of entries) await prices.put(e);
  return prices;
}

export function stores() {
  return { store: new InMemoryOrderEventStore(), executions: new InMemorySagaExecutions() };
}
