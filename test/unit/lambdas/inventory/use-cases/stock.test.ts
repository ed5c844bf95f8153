import { NotFoundError } from '../../../../../lambdas/shared/errors';
import { getStock, listStock } from '../../../../../lambdas/inventory/use-cases/stock';
import { stockStore as store } from '../../../../support/inventory';

describe('stock use cases', () => {
  it('404s an unknown product and pages through the list without repeats', async () => {
    const repo = await store({ A: 1, B: 1, C: 1, D: 1, E: 1 });
    await expect(getStock(repo, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    const seen: string[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await listStock(repo, 2, after);
      seen.push(...page.items.map((i) => i.product_id));
      after = page.next;
    } while (after);
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E']);
  });
});
