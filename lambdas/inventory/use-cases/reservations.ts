/**
 * The saga's inventory steps: reserve an order's lines, release them (compensation), commit them
 * (the order is confirmed). Each is idempotent, so a state machine may retry it.
 */
import { systemClock, type Clock } from '../../shared/clock';
import type { StockRepository } from '../domain/ports';
import { reservationView, type ReservationLine } from '../domain/stock';

/**
 * Reserves every line of an order or none:
 * 1. merge duplicate lines and check quantities;
 * 2. take the stock and record the reservation in one atomic step;
 * 3. a retry with the same lines returns the first result.
 */
export async function reserveOrder(repo: StockRepository, orderId: string, lines: ReservationLine[], clock: Clock = systemClock) {
  const { reservation, changed } = await repo.reserve(orderId, lines, clock());
  return { ...reservationView(reservation), changed };
}

/** Gives an order's reserved stock back; repeating it, or releasing what was never reserved, is safe. */
export async function releaseOrder(repo: StockRepository, orderId: string, clock: Clock = systemClock) {
  const { reservation, changed } = await repo.release(orderId, clock());
  return { ...reservationView(reservation), changed };
}

/** Lets an order's reserved stock leave for good once the order is confirmed; repeating it is safe. */
export async function commitOrder(repo: StockRepository, orderId: string, clock: Clock = systemClock) {
  const { reservation, changed } = await repo.commit(orderId, clock());
  return { ...reservationView(reservation), changed };
}
