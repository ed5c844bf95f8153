import { newEvent } from '../../../../../lambdas/shared/events/envelope';
import { isNewer, priceFromCatalogEvent } from '../../../../../lambdas/orders/domain/prices';
import { price } from '../fixtures';

const product = { product_id: 'P1', name: 'Premium Headphones', price: 299.99, price_minor: 29999, currency: 'USD', revision: 2, category: 'Electronics' };
const at = '2026-12-01T10:00:00.000Z';

describe("Orders' projection of catalog prices", () => {
  it('takes the price, name and revision of a created or updated product', () => {
    expect(priceFromCatalogEvent(newEvent('catalog', 'catalog.product.updated', 'P1', product, { time: at }))).toEqual({
      productId: 'P1',
      name: 'Premium Headphones',
      priceMinor: 29999,
      currency: 'USD',
      version: 2,
      deleted: false,
      updatedAt: at,
    });
  });

  it('marks a deleted product (by type, or by the data saying so)', () => {
    expect(priceFromCatalogEvent(newEvent('catalog', 'catalog.product.deleted', 'P1', { ...product, revision: 3 }, { time: at }))).toMatchObject({ deleted: true, version: 3 });
    expect(priceFromCatalogEvent(newEvent('catalog', 'catalog.product.updated', 'P1', { ...product, deleted: true }, { time: at }))?.deleted).toBe(true);
  });

  it('follows stock and popularity changes too (their revision moves; the price stays)', () => {
    expect(priceFromCatalogEvent(newEvent('catalog', 'catalog.product.stock_changed', 'P1', { ...product, revision: 9 }, { time: at }))?.version).toBe(9);
  });

  it('ignores other events and events without a product, a price or a revision', () => {
    expect(priceFromCatalogEvent(newEvent('inventory', 'inventory.stock.changed', 'P1', product))).toBeUndefined();
    expect(priceFromCatalogEvent(newEvent('catalog', 'catalog.product.updated', 'P1', { product_id: 'P1', revision: 2 }))).toBeUndefined();
    expect(priceFromCatalogEvent(newEvent('catalog', 'catalog.product.updated', 'P1', { ...product, revision: undefined }))).toBeUndefined();
  });

  it('keeps only newer revisions', () => {
    expect(isNewer(undefined, price('P1', 1, { version: 1 }))).toBe(true);
    expect(isNewer(price('P1', 1, { version: 2 }), price('P1', 1, { version: 3 }))).toBe(true);
    expect(isNewer(price('P1', 1, { version: 3 }), price('P1', 1, { version: 3 }))).toBe(false);
    expect(isNewer(price('P1', 1, { version: 3 }), price('P1', 1, { version: 2 }))).toBe(false);
  });
});
