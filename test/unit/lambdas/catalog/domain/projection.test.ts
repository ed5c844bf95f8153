import { MalformedEventError } from '../../../../../lambdas/catalog/domain/errors';
import { planProjection } from '../../../../../lambdas/catalog/domain/projection';
import { newEvent } from '../../../../../lambdas/shared/events/envelope';
import { productHistory as history } from '../../../../support/catalog';

describe('projection decisions', () => {
  it('indexes a product at its category routing with its revision as the external version', async () => {
    const [created] = await history();
    const plan = planProjection(created!)!;
    expect(plan.actions).toEqual([
      { kind: 'index', productId: 'P1', routing: 'Electronics', version: 1, document: expect.objectContaining({ product_id: 'P1', price: 299.99, price_minor: 29999, stock: 50, in_stock: true, revision: 1 }) },
    ]);
  });

  it('a category change writes the new routing and deletes the old one', async () => {
    const events = await history();
    expect(planProjection(events[2]!)!.actions.map((a) => [a.kind, a.routing, a.version])).toEqual([
      ['index', 'Audio', 3],
      ['delete', 'Electronics', 3],
    ]);
  });

  it('a deletion is a versioned delete at the routing', async () => {
    const events = await history();
    expect(planProjection(events[3]!)!.actions).toEqual([{ kind: 'delete', productId: 'P1', routing: 'Audio', version: 4 }]);
  });

  it('ignores other events and refuses catalog events without a product', () => {
    expect(planProjection(newEvent('catalog', 'catalog.import.finished', 'x', {}))).toBeNull();
    expect(() => planProjection(newEvent('catalog', 'catalog.product.created', 'x', { product_id: 'x' }))).toThrow(MalformedEventError);
  });
});
