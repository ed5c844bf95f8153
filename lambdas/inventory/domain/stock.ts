/**
 * The inventory domain: stock records, reservations and the rules that move them. Pure
 * functions only; adapters (DynamoDB, in-memory) enforce the same rules atomically.
 *
 * Invariants:
 * - available >= 0 and reserved >= 0 for every product, always;
 * - a reservation takes every line or none;
 * - a reservation is released or committed once; repeating the same step is a no-op, the
 *   other step after it is refused;
 * - releasing a reservation that never existed leaves a tombstone, so a reserve that arrives
 *   late (a retried saga step racing its compensation) cannot take stock afterwards.
 */
import { ValidationError, type ErrorDetail } from '../../shared/errors';
import { ReservationStateError } from './errors';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 1_000_000;
export const DEFAULT_LOW_STOCK_THRESHOLD = 10;

export interface StockItem {
  productId: string;
  available: number;
  reserved: number;
  version: number;
  lowStockThreshold: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReservationLine {
  productId: string;
  quantity: number;
}

export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'COMMITTED';

export interface Reservation {
  reservationId: string;
  status: ReservationStatus;
  lines: ReservationLine[];
  createdAt: string;
  updatedAt: string;
}

export type ReservationAction = 'reserve' | 'release' | 'commit';

/**
 * Merges duplicate product lines and checks quantities, so that a transaction touches each
 * stock record once (DynamoDB refuses two operations on one item in a transaction).
 */
export function normalizeLines(lines: ReadonlyArray<ReservationLine>): ReservationLine[] {
  if (lines.length === 0) throw new ValidationError('an order needs at least one line', [{ field: 'items', message: 'empty' }]);
  const merged = new Map<string, number>();
  const problems: ErrorDetail[] = [];
  lines.forEach((line, i) => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      problems.push({ field: `items.${i}.quantity`, message: 'must be a positive integer' });
      return;
    }
    merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  });
  for (const [productId, quantity] of merged) {
    if (quantity > MAX_QUANTITY) problems.push({ field: 'items', product_id: productId, message: `quantity above ${MAX_QUANTITY}` });
  }
  if (merged.size > MAX_LINES) problems.push({ field: 'items', message: `at most ${MAX_LINES} distinct products per order` });
  if (problems.length) throw new ValidationError('order lines are invalid', problems);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity })).sort((a, b) => a.productId.localeCompare(b.productId));
}

/** Same lines, whatever their order: a retried reserve must match the first one. */
export function sameLines(a: ReadonlyArray<ReservationLine>, b: ReadonlyArray<ReservationLine>): boolean {
  if (a.length !== b.length) return false;
  const key = (ls: ReadonlyArray<ReservationLine>) =>
    [...ls].sort((x, y) => x.productId.localeCompare(y.productId)).map((l) => `${l.productId}:${l.quantity}`).join(',');
  return key(a) === key(b);
}

export type Transition = { kind: 'apply'; next: ReservationStatus } | { kind: 'noop' };

/**
 * What an action does to a reservation in a given state (undefined = no reservation yet).
 * Throws ReservationStateError where the action is refused.
 */
export function transition(current: ReservationStatus | undefined, action: ReservationAction): Transition {
  switch (action) {
    case 'reserve':
      if (current === undefined) return { kind: 'apply', next: 'RESERVED' };
      if (current === 'RESERVED') return { kind: 'noop' };
      throw new ReservationStateError(`reservation is already ${current.toLowerCase()}; it cannot be reserved again`);
    case 'release':
      if (current === undefined || current === 'RESERVED') return { kind: 'apply', next: 'RELEASED' };
      if (current === 'RELEASED') return { kind: 'noop' };
      throw new ReservationStateError('reservation is committed; it cannot be released');
    case 'commit':
      if (current === 'RESERVED') return { kind: 'apply', next: 'COMMITTED' };
      if (current === 'COMMITTED') return { kind: 'noop' };
      throw new ReservationStateError(
        current === undefined ? 'no such reservation to commit' : 'reservation is released; it cannot be committed',
      );
  }
}

/** Stock after taking `quantity` into reservation, or undefined if there is not enough. */
export function reserveStock(item: StockItem, quantity: number, at: string): StockItem | undefined {
  if (item.available < quantity) return undefined;
  return { ...item, available: item.available - quantity, reserved: item.reserved + quantity, version: item.version + 1, updatedAt: at };
}

/** Stock after giving a reserved quantity back. */
export function releaseStock(item: StockItem, quantity: number, at: string): StockItem {
  const back = Math.min(quantity, item.reserved);
  return { ...item, available: item.available + back, reserved: item.reserved - back, version: item.version + 1, updatedAt: at };
}

/** Stock after a reserved quantity leaves the warehouse (the order is confirmed). */
export function commitStock(item: StockItem, quantity: number, at: string): StockItem {
  return { ...item, reserved: Math.max(0, item.reserved - quantity), version: item.version + 1, updatedAt: at };
}

export function restockItem(item: StockItem | undefined, productId: string, quantity: number, at: string): StockItem {
  if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity > MAX_QUANTITY) {
    throw new ValidationError('restock quantity is invalid', [{ field: 'quantity', message: `must be an integer from 1 to ${MAX_QUANTITY}` }]);
  }
  const base = item ?? {
    productId,
    available: 0,
    reserved: 0,
    version: 0,
    lowStockThreshold: DEFAULT_LOW_STOCK_THRESHOLD,
    createdAt: at,
    updatedAt: at,
  };
  return { ...base, available: base.available + quantity, version: base.version + 1, updatedAt: at };
}

export function isLowStock(item: StockItem): boolean {
  return item.available <= item.lowStockThreshold;
}

/** The public (snake_case) view of a stock record. */
export function stockView(item: StockItem) {
  return {
    product_id: item.productId,
    available: item.available,
    reserved: item.reserved,
    low_stock: isLowStock(item),
    low_stock_threshold: item.lowStockThreshold,
    version: item.version,
    created_at: item.createdAt,
    updated_at: item.updatedAt,
  };
}

export function reservationView(r: Reservation) {
  return {
    reservation_id: r.reservationId,
    status: r.status,
    items: r.lines.map((l) => ({ product_id: l.productId, quantity: l.quantity })),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
