/** Inventory fixtures shared by the inventory's unit tests. */
import { InMemoryStockRepository } from '../../lambdas/inventory/adapters/in-memory/stock-repository';
import { restock } from '../../lambdas/inventory/use-cases/stock';

export const clock = () => '2026-11-25T10:00:00.000Z';

/** An in-memory store holding these products with these available units. */
export async function stockStore(stock: Record<string, number>) {
  const repo = new InMemoryStockRepository();
  for (const [id, qty] of Object.entries(stock)) await restock(repo, id, qty, clock);
  return repo;
}
