/**
 * What other services tell the catalog about its products: stock levels from Inventory and
 * units sold from confirmed orders. Each report becomes a change of the product in the write
 * model with its own catalog event (through the outbox), so the search projection has a single
 * ordered stream per product to follow and never merges writes from several sources.
 *
 * The event id is derived from the report's event id: handling the same report twice finds its
 * event already in the outbox and changes nothing (popularity is a counter; it must not count
 * an order twice).
 */
import { systemClock, type Clock } from '../../shared/clock';
import { ConcurrentWriteError, EventAlreadyRecordedError, StaleProductError } from '../domain/errors';
import { popularityChangedEvent, stockChangedEvent } from '../domain/events';
import type { ProductRepository } from '../domain/ports';
import { addPopularity, applyStock, type Product } from '../domain/product';
import type { PopularitySignal, StockSignal } from '../domain/signals';

export type SignalOutcome = 'applied' | 'unchanged' | 'unknown_product' | 'duplicate';

const MAX_ATTEMPTS = 8;

async function change(
  repo: ProductRepository,
  productId: string,
  decide: (current: Product) => { next: Product; event: Parameters<ProductRepository['save']>[2] } | undefined,
): Promise<SignalOutcome> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const current = await repo.get(productId);
    if (!current || current.deleted) return 'unknown_product';
    const decision = decide(current);
    if (!decision) return 'unchanged';
    try {
      await repo.save(decision.next, { revision: current.revision }, decision.event);
      return 'applied';
    } catch (err) {
      if (err instanceof EventAlreadyRecordedError) return 'duplicate';
      if (!(err instanceof StaleProductError)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** i)));
    }
  }
  throw new ConcurrentWriteError(productId);
}

/** Sets a product's stock from an Inventory report (older reports are ignored). */
export function applyStockSignal(repo: ProductRepository, signal: StockSignal, causeId: string, clock: Clock = systemClock): Promise<SignalOutcome> {
  return change(repo, signal.productId, (current) => {
    const next = applyStock(current, signal.available, signal.stockVersion, clock());
    return next && { next, event: stockChangedEvent(next, causeId) };
  });
}

/** Adds the units of a confirmed order to a product's popularity, once per order event. */
export function applyPopularitySignal(repo: ProductRepository, signal: PopularitySignal, causeId: string, clock: Clock = systemClock): Promise<SignalOutcome> {
  return change(repo, signal.productId, (current) => {
    const next = addPopularity(current, signal.quantity, clock());
    return { next, event: popularityChangedEvent(next, causeId) };
  });
}
