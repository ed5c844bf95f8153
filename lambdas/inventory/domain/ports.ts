/**
 * The port through which inventory use cases reach their store. Every method is atomic:
 * it applies all of its changes or none.
 */
import type { Reservation, ReservationLine, StockItem } from './stock';

export interface Page<T> {
  items: T[];
  /** opaque position of the next page, absent on the last page */
  next?: Record<string, unknown>;
}

export interface ReservationResult {
  reservation: Reservation;
  /** false when the call repeated a step already taken (an idempotent retry) */
  changed: boolean;
}

export interface StockRepository {
  get(productId: string): Promise<StockItem | undefined>;
  list(limit: number, after?: Record<string, unknown>): Promise<Page<StockItem>>;
  restock(productId: string, quantity: number, at: string, reason?: string): Promise<StockItem>;
  /**
   * A restock caused by an event (`causeId`, the event's id), applied once per cause: the stock
   * change and the record of its cause are one atomic write, so a redelivered event changes
   * nothing (`changed: false`) however the first delivery ended.
   */
  restockFor(causeId: string, productId: string, quantity: number, at: string, reason?: string): Promise<{ item: StockItem; changed: boolean }>;
  getReservation(reservationId: string): Promise<Reservation | undefined>;
  /** All lines or none; throws InsufficientStockError / UnknownProductError / ReservationStateError. */
  reserve(reservationId: string, lines: ReservationLine[], at: string): Promise<ReservationResult>;
  release(reservationId: string, at: string): Promise<ReservationResult>;
  commit(reservationId: string, at: string): Promise<ReservationResult>;
  ping(): Promise<void>;
}
