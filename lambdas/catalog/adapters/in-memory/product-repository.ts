/**
 * ProductRepository in memory, with the DynamoDB adapter's semantics (conditional save of the
 * product and its event together; an event id is recorded once). The reference behaviour for
 * the use cases' unit tests.
 */
import type { EventEnvelope } from '../../../shared/events/envelope';
import { EventAlreadyRecordedError, StaleProductError } from '../../domain/errors';
import type { Expected, ProductRepository } from '../../domain/ports';
import type { Product } from '../../domain/product';

export class InMemoryProductRepository implements ProductRepository {
  readonly products = new Map<string, Product>();
  /** the outbox, in write order */
  readonly events: EventEnvelope[] = [];
  private readonly eventIds = new Set<string>();

  async get(productId: string): Promise<Product | undefined> {
    const p = this.products.get(productId);
    return p && structuredClone(p);
  }

  async save(product: Product, expected: Expected, event: EventEnvelope): Promise<void> {
    const current = this.products.get(product.productId);
    const productOk = 'absent' in expected ? current === undefined : current?.revision === expected.revision;
    if (this.eventIds.has(event.id)) throw new EventAlreadyRecordedError(event.id);
    if (!productOk) throw new StaleProductError(product.productId);
    this.products.set(product.productId, structuredClone(product));
    this.eventIds.add(event.id);
    this.events.push(event);
  }

  async ping(): Promise<void> {}
}
