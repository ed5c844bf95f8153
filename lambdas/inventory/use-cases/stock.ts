/**
 * Inventory's stock use cases: read a product's stock, list it a page at a time, restock. Each
 * takes its store through the StockRepository port, so the same code runs on DynamoDB in Lambda
 * and on the in-memory store in unit tests.
 */
import { systemClock, type Clock } from '../../shared/clock';
import { NotFoundError } from '../../shared/errors';
import type { StockRepository } from '../domain/ports';
import { stockView } from '../domain/stock';

/** Reads one product's stock; 404 when the product has no stock record. */
export async function getStock(repo: StockRepository, productId: string) {
  const item = await repo.get(productId);
  if (!item) throw new NotFoundError(`no stock record for product ${productId}`, [{ field: 'product_id', message: 'unknown product' }]);
  return stockView(item);
}

/** Lists stock records a page at a time; `next` is the store's position for the next page. */
export async function listStock(repo: StockRepository, limit: number, after?: Record<string, unknown>) {
  const page = await repo.list(limit, after);
  return { items: page.items.map(stockView), next: page.next };
}

/** Adds units to a product's available stock, creating its record on first restock. */
export async function restock(repo: StockRepository, productId: string, quantity: number, clock: Clock = systemClock, reason?: string) {
  return stockView(await repo.restock(productId, quantity, clock(), reason));
}
