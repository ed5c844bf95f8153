/**
 * Inventory's domain events (topic inventory-events). Intent events travel through the
 * outbox with the change that causes them; stock levels are announced from the stock table's
 * stream (see handlers/stock-stream.ts) with ids derived from the record version, so a replay
 * yields the same ids.
 */
import { newEvent, type EventEnvelope } from '../../shared/events/envelope';
import type { Reservation, ReservationAction, StockItem } from './stock';
import { isLowStock } from './stock';

export const SOURCE = 'inventory';

const items = (r: Reservation) => r.lines.map((l) => ({ product_id: l.productId, quantity: l.quantity }));

/** `causeId`: the event that caused the restock; the announcement's id is derived from it, so a replay yields the same id. */
export function restockedEvent(productId: string, quantity: number, at: string, reason?: string, causeId?: string): EventEnvelope {
  const id = causeId === undefined ? undefined : restockedEventId(causeId);
  return newEvent(SOURCE, 'inventory.stock.restocked', productId, { product_id: productId, quantity, reason }, { time: at, id });
}

export const restockedEventId = (causeId: string): string => `inventory.stock.restocked:${causeId}`;

const TYPES: Record<ReservationAction, string> = {
  reserve: 'inventory.stock.reserved',
  release: 'inventory.reservation.released',
  commit: 'inventory.reservation.committed',
};

export function reservationEvent(r: Reservation, action: ReservationAction): EventEnvelope {
  return newEvent(SOURCE, TYPES[action], r.reservationId, { reservation_id: r.reservationId, order_id: r.reservationId, items: items(r) }, { time: r.updatedAt });
}

/** The stock level after a change, and whether it just fell to or below the low-stock threshold. */
export function stockLevelEvents(before: StockItem | undefined, after: StockItem): EventEnvelope[] {
  const level = { product_id: after.productId, available: after.available, reserved: after.reserved, version: after.version };
  const events = [
    newEvent(SOURCE, 'inventory.stock.changed', after.productId, level, { id: `inventory.stock.changed:${after.productId}:${after.version}`, time: after.updatedAt }),
  ];
  if (isLowStock(after) && (!before || !isLowStock(before))) {
    events.push(
      newEvent(SOURCE, 'inventory.stock.low', after.productId, { ...level, low_stock_threshold: after.lowStockThreshold }, {
        id: `inventory.stock.low:${after.productId}:${after.version}`,
        time: after.updatedAt,
      }),
    );
  }
  return events;
}
