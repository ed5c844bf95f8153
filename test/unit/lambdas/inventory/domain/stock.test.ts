import { ValidationError } from '../../../../../lambdas/shared/errors';
import { ReservationStateError } from '../../../../../lambdas/inventory/domain/errors';
import {
  commitStock,
  isLowStock,
  normalizeLines,
  releaseStock,
  reserveStock,
  restockItem,
  sameLines,
  transition,
  MAX_LINES,
  type StockItem,
} from '../../../../../lambdas/inventory/domain/stock';

const at = '2026-11-25T10:00:00.000Z';
const item = (available: number, reserved = 0): StockItem => ({
  productId: 'P1',
  available,
  reserved,
  version: 1,
  lowStockThreshold: 10,
  createdAt: at,
  updatedAt: at,
});

describe('normalizeLines', () => {
  it('merges duplicate products and sorts by product id', () => {
    expect(
      normalizeLines([
        { productId: 'B', quantity: 1 },
        { productId: 'A', quantity: 2 },
        { productId: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'A', quantity: 2 },
      { productId: 'B', quantity: 4 },
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses quantity %p naming the line', (quantity) => {
    expect(() => normalizeLines([{ productId: 'A', quantity }])).toThrow(ValidationError);
    try {
      normalizeLines([{ productId: 'A', quantity }]);
    } catch (err) {
      expect((err as ValidationError).details).toEqual([{ field: 'items.0.quantity', message: 'must be a positive integer' }]);
    }
  });

  it('refuses an empty order and too many distinct products', () => {
    expect(() => normalizeLines([])).toThrow('at least one line');
    const many = Array.from({ length: MAX_LINES + 1 }, (_, i) => ({ productId: `P${i}`, quantity: 1 }));
    expect(() => normalizeLines(many)).toThrow(ValidationError);
  });
});

describe('sameLines', () => {
  it('ignores order but not quantities', () => {
    expect(sameLines([{ productId: 'A', quantity: 1 }, { productId: 'B', quantity: 2 }], [{ productId: 'B', quantity: 2 }, { productId: 'A', quantity: 1 }])).toBe(true);
    expect(sameLines([{ productId: 'A', quantity: 1 }], [{ productId: 'A', quantity: 2 }])).toBe(false);
  });
});

describe('reservation transitions', () => {
  it.each([
    [undefined, 'reserve', { kind: 'apply', next: 'RESERVED' }],
    ['RESERVED', 'reserve', { kind: 'noop' }],
    ['RESERVED', 'release', { kind: 'apply', next: 'RELEASED' }],
    [undefined, 'release', { kind: 'apply', next: 'RELEASED' }],
    ['RELEASED', 'release', { kind: 'noop' }],
    ['RESERVED', 'commit', { kind: 'apply', next: 'COMMITTED' }],
    ['COMMITTED', 'commit', { kind: 'noop' }],
  ] as const)('%p + %s -> %p', (from, action, expected) => {
    expect(transition(from, action)).toEqual(expected);
  });

  it.each([
    ['RELEASED', 'reserve'],
    ['COMMITTED', 'reserve'],
    ['COMMITTED', 'release'],
    ['RELEASED', 'commit'],
    [undefined, 'commit'],
  ] as const)('%p + %s is refused', (from, action) => {
    expect(() => transition(from, action)).toThrow(ReservationStateError);
  });
});

describe('stock arithmetic', () => {
  it('reserves only what is available', () => {
    expect(reserveStock(item(5), 5, at)).toMatchObject({ available: 0, reserved: 5, version: 2 });
    expect(reserveStock(item(5), 6, at)).toBeUndefined();
  });

  it('release gives back at most what is reserved; commit lets it leave', () => {
    expect(releaseStock(item(0, 3), 3, at)).toMatchObject({ available: 3, reserved: 0 });
    expect(releaseStock(item(0, 2), 3, at)).toMatchObject({ available: 2, reserved: 0 });
    expect(commitStock(item(1, 3), 3, at)).toMatchObject({ available: 1, reserved: 0 });
  });

  it('restock creates a record or adds to it, and refuses bad quantities', () => {
    expect(restockItem(undefined, 'P9', 7, at)).toMatchObject({ productId: 'P9', available: 7, reserved: 0, version: 1 });
    expect(restockItem(item(3), 'P1', 2, at)).toMatchObject({ available: 5, version: 2 });
    expect(() => restockItem(item(3), 'P1', 0, at)).toThrow(ValidationError);
  });

  it('flags low stock at or under the threshold', () => {
    expect(isLowStock(item(10))).toBe(true);
    expect(isLowStock(item(11))).toBe(false);
  });
});
