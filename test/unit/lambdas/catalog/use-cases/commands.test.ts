import { InMemoryProductRepository } from '../../../../../lambdas/catalog/adapters/in-memory/product-repository';
import { ProductExistsError, ProductNotFoundError, VersionConflictError } from '../../../../../lambdas/catalog/domain/errors';
import { CATALOG_EVENTS } from '../../../../../lambdas/catalog/domain/events';
import { applyStock } from '../../../../../lambdas/catalog/domain/product';
import { createBody } from '../../../../../lambdas/catalog/schemas';
import { createProduct, deleteProduct, updateProduct } from '../../../../../lambdas/catalog/use-cases/commands';

const at = '2026-11-25T10:00:00.000Z';
const clock = () => at;

const body = (extra: Record<string, unknown> = {}) =>
  createBody.parse({ name: 'Premium Headphones', price: 299.99, category: 'Electronics', brand: 'AudioTech', stock: 50, tags: ['audio'], ...extra });
describe('catalog commands', () => {
  it('creates with the event in the same save, and refuses a taken id with 409', async () => {
    const repo = new InMemoryProductRepository();
    const view = await createProduct(repo, body({ product_id: 'PROD-001' }), clock);
    expect(view).toMatchObject({ product_id: 'PROD-001', price: 299.99, price_minor: 29999, currency: 'USD', stock: 50, in_stock: true, version: 1 });
    expect(repo.events).toHaveLength(1);
    expect(repo.events[0]).toMatchObject({ type: CATALOG_EVENTS.created, subject: 'PROD-001', source: 'catalog', data: { stock: 50, version: 1, revision: 1 } });
    await expect(createProduct(repo, body({ product_id: 'PROD-001' }), clock)).rejects.toBeInstanceOf(ProductExistsError);
  });

  it('generates an opaque id when none is given', async () => {
    const repo = new InMemoryProductRepository();
    const a = await createProduct(repo, body(), clock);
    const b = await createProduct(repo, body(), clock);
    expect(a.product_id).toMatch(/^prod_[0-9a-f]{32}$/);
    expect(a.product_id).not.toBe(b.product_id);
  });

  it('updates with the right version, 409 with a stale one, 404 for an unknown product', async () => {
    const repo = new InMemoryProductRepository();
    await createProduct(repo, body({ product_id: 'P1' }), clock);
    const updated = await updateProduct(repo, 'P1', { price: 249.99, category: 'Audio' }, 1, clock);
    expect(updated).toMatchObject({ price: 249.99, price_minor: 24999, category: 'Audio', version: 2 });
    const event = repo.events[1]!;
    expect(event).toMatchObject({ type: CATALOG_EVENTS.updated, data: { previous_category: 'Electronics', changed_fields: ['price_minor', 'category'], revision: 2 } });
    await expect(updateProduct(repo, 'P1', { featured: true }, 1, clock)).rejects.toMatchObject({ statusCode: 409, details: [expect.objectContaining({ current_version: 2 })] });
    await expect(updateProduct(repo, 'NOPE', { featured: true }, 1, clock)).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it("checks the price's decimals against the currency it will have", async () => {
    const repo = new InMemoryProductRepository();
    await createProduct(repo, body({ product_id: 'P1' }), clock);
    await expect(updateProduct(repo, 'P1', { price: 10.5, currency: 'JPY' }, 1, clock)).rejects.toMatchObject({ statusCode: 422 });
    expect(await updateProduct(repo, 'P1', { price: 1500, currency: 'JPY' }, 1, clock)).toMatchObject({ price: 1500, price_minor: 1500, currency: 'JPY' });
  });

  it('deletes (version optional, checked when given), then 404; the id can be created again', async () => {
    const repo = new InMemoryProductRepository();
    await createProduct(repo, body({ product_id: 'P1' }), clock);
    await expect(deleteProduct(repo, 'P1', 7, clock)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await deleteProduct(repo, 'P1', undefined, clock)).toEqual({ product_id: 'P1', version: 2, deleted: true });
    expect(repo.events.at(-1)).toMatchObject({ type: CATALOG_EVENTS.deleted, data: { deleted: true, revision: 2 } });
    await expect(deleteProduct(repo, 'P1', undefined, clock)).rejects.toBeInstanceOf(ProductNotFoundError);
    await expect(updateProduct(repo, 'P1', { featured: true }, 2, clock)).rejects.toBeInstanceOf(ProductNotFoundError);
    const again = await createProduct(repo, body({ product_id: 'P1' }), clock);
    expect(again.version).toBe(1);
    expect(repo.events.at(-1)!.data).toMatchObject({ revision: 3 });
  });

  it('retries when a concurrent change moves the revision between read and write', async () => {
    const repo = new InMemoryProductRepository();
    await createProduct(repo, body({ product_id: 'P1' }), clock);
    let interfered = false;
    const racing = Object.create(repo) as InMemoryProductRepository;
    racing.save = async (product, expected, event) => {
      if (!interfered) {
        interfered = true; // a stock report lands first
        const current = (await repo.get('P1'))!;
        const s = applyStock(current, 7, 1, at)!;
        await repo.save(s, { revision: current.revision }, { ...event, id: 'stock-report' });
      }
      return repo.save(product, expected, event);
    };
    const updated = await updateProduct(racing, 'P1', { featured: true }, 1, clock);
    expect(updated).toMatchObject({ featured: true, stock: 7, version: 2 });
    expect((await repo.get('P1'))!.revision).toBe(3);
  });
});
