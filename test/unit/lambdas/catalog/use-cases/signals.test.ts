import { InMemoryProductRepository } from '../../../../../lambdas/catalog/adapters/in-memory/product-repository';
import { CATALOG_EVENTS, derivedEventId } from '../../../../../lambdas/catalog/domain/events';
import { popularitySignals } from '../../../../../lambdas/catalog/domain/signals';
import { createBody } from '../../../../../lambdas/catalog/schemas';
import { createProduct } from '../../../../../lambdas/catalog/use-cases/commands';
import { applyPopularitySignal, applyStockSignal } from '../../../../../lambdas/catalog/use-cases/signals';
import { newEvent } from '../../../../../lambdas/shared/events/envelope';

const clock = () => '2026-11-25T10:00:00.000Z';

async function catalog() {
  const repo = new InMemoryProductRepository();
  for (const id of ['P1', 'P2']) {
    await createProduct(repo, createBody.parse({ product_id: id, name: `Product ${id}`, price: 10, category: 'Books', stock: 5 }), clock);
  }
  return repo;
}

describe('applying them to the catalog', () => {
  it('a confirmed order raises popularity once, even when handled twice', async () => {
    const repo = await catalog();
    const order = newEvent('orders', 'order.confirmed', 'o1', { items: [{ product_id: 'P1', quantity: 2 }, { product_id: 'NOPE', quantity: 1 }] });
    const run = () => Promise.all(popularitySignals(order).map((s) => applyPopularitySignal(repo, s, order.id, clock)));
    expect(await run()).toEqual(['applied', 'unknown_product']);
    expect(await run()).toEqual(['duplicate', 'unknown_product']);
    const p1 = (await repo.get('P1'))!;
    expect(p1).toMatchObject({ popularity: 2, version: 1, revision: 2 });
    const event = repo.events.at(-1)!;
    expect(event).toMatchObject({ type: CATALOG_EVENTS.popularityChanged, id: derivedEventId(order.id, 'P1', 'popularity'), data: { popularity: 2, revision: 2 } });
  });

  it('stock reports set stock and in_stock in order; older reports are ignored', async () => {
    const repo = await catalog();
    expect(await applyStockSignal(repo, { productId: 'P1', available: 0, stockVersion: 4 }, 'e1', clock)).toBe('applied');
    expect(await applyStockSignal(repo, { productId: 'P1', available: 9, stockVersion: 2 }, 'e2', clock)).toBe('unchanged');
    expect((await repo.get('P1'))!).toMatchObject({ stock: 0, stockVersion: 4, version: 1 });
    expect(repo.events.at(-1)).toMatchObject({ type: CATALOG_EVENTS.stockChanged, data: { stock: 0, in_stock: false } });
  });

  it('derived event ids are stable per cause, product and kind', () => {
    expect(derivedEventId('e1', 'P1', 'stock')).toBe(derivedEventId('e1', 'P1', 'stock'));
    expect(derivedEventId('e1', 'P1', 'stock')).not.toBe(derivedEventId('e1', 'P2', 'stock'));
    expect(derivedEventId('e1', 'P1', 'stock')).not.toBe(derivedEventId('e1', 'P1', 'popularity'));
    expect(derivedEventId('e1', 'P1', 'stock')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
