import { newEvent } from '../../../../../lambdas/shared/events/envelope';
import { stockFromCatalogEvent } from '../../../../../lambdas/inventory/use-cases/catalog-events';
import { getStock } from '../../../../../lambdas/inventory/use-cases/stock';
import { clock, stockStore } from '../../../../support/inventory';

const created = (data: unknown) => newEvent('catalog', 'catalog.product.created', 'P9', data);

describe('stock from catalog events', () => {
  it("restocks a new product by its creation stock, adding to what Inventory already holds", async () => {
    const repo = await stockStore({ P1: 4 });
    expect(await stockFromCatalogEvent(repo, created({ product_id: 'P9', name: 'Kettle', stock: 12 }), clock)).toEqual({
      outcome: 'restocked',
      productId: 'P9',
      quantity: 12,
      available: 12,
    });
    expect(await getStock(repo, 'P9')).toMatchObject({ available: 12, reserved: 0, version: 1 });
    expect(await stockFromCatalogEvent(repo, created({ product_id: 'P1', stock: 3 }), clock)).toMatchObject({ outcome: 'restocked', available: 7 });
  });

  it('ignores other events and creations without stock', async () => {
    const repo = await stockStore({});
    expect(await stockFromCatalogEvent(repo, newEvent('catalog', 'catalog.product.updated', 'P9', { product_id: 'P9', stock: 5 }), clock)).toEqual({ outcome: 'ignored' });
    expect(await stockFromCatalogEvent(repo, created({ product_id: 'P9', stock: 0 }), clock)).toEqual({ outcome: 'ignored' });
    expect(repo.stock.size).toBe(0);
  });

  it('reports a creation that names no product or no valid stock as malformed, and changes nothing', async () => {
    const repo = await stockStore({});
    for (const data of [{ stock: 5 }, { product_id: 'P9' }, { product_id: 'P9', stock: -1 }, { product_id: 'P9', stock: 1.5 }, null]) {
      expect(await stockFromCatalogEvent(repo, created(data), clock)).toEqual({ outcome: 'malformed' });
    }
    expect(repo.stock.size).toBe(0);
  });
});
