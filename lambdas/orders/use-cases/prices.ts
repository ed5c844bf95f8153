/**
 * Orders' price list follows the catalog: each catalog event carrying a product sets that
 * product's entry, if it is newer than the one held (see domain/prices.ts).
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { PriceStore } from '../domain/ports';
import { priceFromCatalogEvent } from '../domain/prices';

export type PriceOutcome = { outcome: 'ignored' } | { outcome: 'applied' | 'stale'; productId: string; version: number; deleted: boolean };

export async function applyCatalogEvent(prices: PriceStore, event: EventEnvelope): Promise<PriceOutcome> {
  const entry = priceFromCatalogEvent(event);
  if (!entry) return { outcome: 'ignored' };
  const outcome = await prices.put(entry);
  return { outcome, productId: entry.productId, version: entry.version, deleted: entry.deleted };
}
