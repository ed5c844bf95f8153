/**
 * Inventory's items as DynamoDB stores them (snake_case attribute names, as every table of the
 * platform) and their mapping to the domain. One mapping for the table's items and for its
 * stream's images, which share the shape.
 */
import { DEFAULT_LOW_STOCK_THRESHOLD, type Reservation, type StockItem } from '../../domain/stock';

export interface StockRecord {
  product_id: string;
  available: number;
  reserved: number;
  version: number;
  low_stock_threshold: number;
  created_at: string;
  updated_at: string;
}

export interface ReservationRecord {
  reservation_id: string;
  status: Reservation['status'];
  lines: Array<{ product_id: string; quantity: number }>;
  created_at: string;
  updated_at: string;
}

export const toStock = (r: StockRecord): StockItem => ({
  productId: r.product_id,
  available: r.available,
  reserved: r.reserved ?? 0,
  version: r.version ?? 0,
  lowStockThreshold: r.low_stock_threshold ?? DEFAULT_LOW_STOCK_THRESHOLD,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toReservation = (r: ReservationRecord): Reservation => ({
  reservationId: r.reservation_id,
  status: r.status,
  lines: (r.lines ?? []).map((l) => ({ productId: l.product_id, quantity: l.quantity })),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const reservationRecord = (r: Reservation): ReservationRecord => ({
  reservation_id: r.reservationId,
  status: r.status,
  lines: r.lines.map((l) => ({ product_id: l.productId, quantity: l.quantity })),
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});
