/** The price list in memory, with the DynamoDB adapter's semantics (newer versions only). */
import type { PriceStore, PriceWrite } from '../../domain/ports';
import type { PriceEntry } from '../../domain/pricing';
import { isNewer } from '../../domain/prices';

export class InMemoryPriceStore implements PriceStore {
  readonly prices = new Map<string, PriceEntry>();

  async getMany(productIds: readonly string[]): Promise<Map<string, PriceEntry>> {
    const found = new Map<string, PriceEntry>();
    for (const id of productIds) {
      const p = this.prices.get(id);
      if (p) found.set(id, { ...p });
    }
    return found;
  }

  async put(entry: PriceEntry): Promise<PriceWrite> {
    const current = this.prices.get(entry.productId);
    if (!isNewer(current, entry)) return 'stale';
    this.prices.set(entry.productId, { ...entry });
    return 'applied';
  }
}
