/**
 * StockRepository in memory, applying the domain's pure rules. Each method runs to completion
 * without awaiting in between, so it is atomic within one process: the reference behaviour the
 * DynamoDB adapter must match, and a fast store for unit tests of the use cases.
 */
import type { ErrorDetail } from '../../../shared/errors';
import { InsufficientStockError, ReservationStateError, UnknownProductError } from '../../domain/errors';
import type { Page, ReservationResult, StockRepository } from '../../domain/ports';
import {
  commitStock,
  normalizeLines,
  releaseStock,
  reserveStock,
  restockItem,
  sameLines,
  transition,
  type Reservation,
  type ReservationLine,
  type StockItem,
} from '../../domain/stock';

export class InMemoryStockRepository implements StockRepository {
  readonly stock = new Map<string, StockItem>();
  readonly reservations = new Map<string, Reservation>();
  /** causes of the restocks applied (restockFor) */
  readonly causes = new Set<string>();

  async ping(): Promise<void> {}

  async get(productId: string) {
    return this.stock.get(productId);
  }

  async list(limit: number, after?: Record<string, unknown>): Promise<Page<StockItem>> {
    const ids = [...this.stock.keys()].sort();
    const start = after ? ids.findIndex((id) => id > String(after.product_id)) : 0;
    const slice = start < 0 ? [] : ids.slice(start, start + limit);
    const last = slice[slice.length - 1];
    const more = start >= 0 && start + limit < ids.length;
    return { items: slice.map((id) => this.stock.get(id)!), next: more && last ? { product_id: last } : undefined };
  }

  async restock(productId: string, quantity: number, at: string) {
    const item = restockItem(this.stock.get(productId), productId, quantity, at);
    this.stock.set(productId, item);
    return item;
  }

  async restockFor(causeId: string, productId: string, quantity: number, at: string) {
    if (this.causes.has(causeId)) return { item: this.stock.get(productId)!, changed: false };
    const item = await this.restock(productId, quantity, at);
    this.causes.add(causeId);
    return { item, changed: true };
  }

  async getReservation(reservationId: string) {
    return this.reservations.get(reservationId);
  }

  async reserve(reservationId: string, rawLines: ReservationLine[], at: string): Promise<ReservationResult> {
    const lines = normalizeLines(rawLines);
    const existing = this.reservations.get(reservationId);
    if (transition(existing?.status, 'reserve').kind === 'noop') {
      if (!sameLines(existing!.lines, lines)) throw new ReservationStateError('reservation already exists with other lines');
      return { reservation: existing!, changed: false };
    }
    const unknown: ErrorDetail[] = [];
    const short: ErrorDetail[] = [];
    const next: StockItem[] = [];
    for (const line of lines) {
      const item = this.stock.get(line.productId);
      if (!item) {
        unknown.push({ field: 'items', product_id: line.productId, message: 'no stock record for this product' });
        continue;
      }
      const after = reserveStock(item, line.quantity, at);
      if (!after) short.push({ field: 'items', product_id: line.productId, requested: line.quantity, available: item.available, message: 'not enough stock' });
      else next.push(after);
    }
    if (unknown.length) throw new UnknownProductError([...unknown, ...short]);
    if (short.length) throw new InsufficientStockError(short);
    for (const item of next) this.stock.set(item.productId, item);
    const reservation: Reservation = { reservationId, status: 'RESERVED', lines, createdAt: at, updatedAt: at };
    this.reservations.set(reservationId, reservation);
    return { reservation, changed: true };
  }

  async release(reservationId: string, at: string): Promise<ReservationResult> {
    return this.close(reservationId, 'release', at);
  }

  async commit(reservationId: string, at: string): Promise<ReservationResult> {
    return this.close(reservationId, 'commit', at);
  }

  private close(reservationId: string, action: 'release' | 'commit', at: string): ReservationResult {
    const existing = this.reservations.get(reservationId);
    const step = transition(existing?.status, action);
    if (step.kind === 'noop') return { reservation: existing!, changed: false };
    const lines = existing?.lines ?? [];
    for (const line of lines) {
      const item = this.stock.get(line.productId)!;
      this.stock.set(line.productId, action === 'release' ? releaseStock(item, line.quantity, at) : commitStock(item, line.quantity, at));
    }
    const reservation: Reservation = { reservationId, status: step.next, lines, createdAt: existing?.createdAt ?? at, updatedAt: at };
    this.reservations.set(reservationId, reservation);
    return { reservation, changed: true };
  }
}
