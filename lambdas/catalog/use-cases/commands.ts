/**
 * The catalog's commands. Each reads the product (strongly consistent), decides with the
 * domain's rules, and saves the new state with its event in one transaction conditioned on the
 * revision it read; a concurrent change (a stock report, another command) makes it read again.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../shared/clock';
import { ConcurrentWriteError, ProductExistsError, ProductNotFoundError, StaleProductError } from '../domain/errors';
import { createdEvent, deletedEvent, updatedEvent } from '../domain/events';
import type { Expected, ProductRepository } from '../domain/ports';
import { resolvePriceMinor } from '../domain/price';
import { applyPatch, deleteProduct as tombstoneOf, newProduct, productView, type Product, type ProductDraft, type ProductPatch, type ProductView } from '../domain/product';
import type { CreateBody, UpdateBody } from '../schemas';

/** An opaque id for a product created without one. */
export const generateProductId = (): string => `prod_${randomUUID().replace(/-/g, '')}`;

const MAX_ATTEMPTS = 8;

async function withRetries<T>(productId: string, attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StaleProductError)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** i)));
    }
  }
  throw new ConcurrentWriteError(productId);
}

export function draftFrom(body: CreateBody): ProductDraft {
  return {
    name: body.name,
    description: body.description,
    priceMinor: resolvePriceMinor(body, body.currency, true)!,
    currency: body.currency,
    category: body.category,
    brand: body.brand,
    stock: body.stock,
    tags: body.tags,
    images: body.images,
    attributes: body.attributes,
    featured: body.featured,
  };
}

/**
 * Creates a product:
 * 1. take the client's id or generate one;
 * 2. refuse an id that a live product holds (409); a deleted one may be reused;
 * 3. save the product at version 1 with `catalog.product.created` (which carries the stock).
 */
export async function createProduct(repo: ProductRepository, body: CreateBody, clock: Clock = systemClock): Promise<ProductView> {
  const productId = body.product_id ?? generateProductId();
  const draft = draftFrom(body);
  return withRetries(productId, async () => {
    const existing = await repo.get(productId);
    if (existing && !existing.deleted) throw new ProductExistsError(productId);
    const product = newProduct(productId, draft, clock(), existing);
    const expected: Expected = existing ? { revision: existing.revision } : { absent: true };
    // Losing a race with another create of this id is a StaleProductError: the retry reads
    // again and answers 409 if the other one made a live product.
    await repo.save(product, expected, createdEvent(product));
    return productView(product);
  });
}

async function live(repo: ProductRepository, productId: string): Promise<Product> {
  const current = await repo.get(productId);
  if (!current || current.deleted) throw new ProductNotFoundError(productId);
  return current;
}

function patchFrom(body: UpdateBody, current: Product): ProductPatch {
  const currency = body.currency ?? current.currency;
  return {
    name: body.name,
    description: body.description,
    priceMinor: resolvePriceMinor(body, currency, false),
    currency: body.currency,
    category: body.category,
    brand: body.brand,
    tags: body.tags,
    images: body.images,
    attributes: body.attributes,
    featured: body.featured,
  };
}

/**
 * Updates a product's fields:
 * 1. the client must say which version it read (409 with the current one if stale);
 * 2. apply the fields sent; if nothing changes, answer the product as it is;
 * 3. save version + 1 with `catalog.product.updated` (naming the old category if it moved).
 */
export async function updateProduct(
  repo: ProductRepository,
  productId: string,
  body: UpdateBody,
  expectedVersion: number,
  clock: Clock = systemClock,
): Promise<ProductView> {
  return withRetries(productId, async () => {
    const current = await live(repo, productId);
    const { product, changed } = applyPatch(current, patchFrom(body, current), expectedVersion, clock());
    if (changed.length === 0) return productView(current);
    await repo.save(product, { revision: current.revision }, updatedEvent(current, product, changed));
    return productView(product);
  });
}

/**
 * Deletes a product: checks the version when one is given, then replaces the product with a
 * tombstone (version + 1) and emits `catalog.product.deleted`.
 */
export async function deleteProduct(
  repo: ProductRepository,
  productId: string,
  expectedVersion: number | undefined,
  clock: Clock = systemClock,
): Promise<{ product_id: string; version: number; deleted: true }> {
  return withRetries(productId, async () => {
    const current = await live(repo, productId);
    const tombstone = tombstoneOf(current, expectedVersion, clock());
    await repo.save(tombstone, { revision: current.revision }, deletedEvent(tombstone));
    return { product_id: productId, version: tombstone.version, deleted: true };
  });
}
