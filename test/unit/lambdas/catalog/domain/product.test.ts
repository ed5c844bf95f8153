import { VersionConflictError } from '../../../../../lambdas/catalog/domain/errors';
import { applyPatch, applyStock, deleteProduct as tombstone, newProduct, type ProductDraft } from '../../../../../lambdas/catalog/domain/product';

const at = '2026-11-25T10:00:00.000Z';

const draft: ProductDraft = {
  name: 'Premium Headphones',
  description: 'High-quality wireless headphones',
  priceMinor: 29999,
  currency: 'USD',
  category: 'Electronics',
  brand: 'AudioTech',
  stock: 50,
  tags: ['audio'],
  images: [],
  attributes: {},
  featured: false,
};

describe('product versioning rules', () => {
  it('a change moves version and revision; a no-op patch moves nothing', () => {
    const p = newProduct('PROD-001', draft, at);
    expect(p).toMatchObject({ version: 1, revision: 1 });
    const { product, changed } = applyPatch(p, { priceMinor: 24999, name: 'Premium Headphones' }, 1, at);
    expect(changed).toEqual(['priceMinor']);
    expect(product).toMatchObject({ version: 2, revision: 2, priceMinor: 24999 });
    expect(applyPatch(product, { name: 'Premium Headphones' }, 2, at)).toEqual({ product, changed: [] });
  });

  it('a stale version is refused with the current one in the details', () => {
    const p = newProduct('PROD-001', draft, at);
    const next = applyPatch(p, { featured: true }, 1, at).product;
    try {
      applyPatch(next, { featured: false }, 1, at);
      throw new Error('expected a conflict');
    } catch (err) {
      expect(err).toBeInstanceOf(VersionConflictError);
      expect((err as VersionConflictError).statusCode).toBe(409);
      expect((err as VersionConflictError).details[0]).toMatchObject({ field: 'version', current_version: 2, expected_version: 1 });
    }
  });

  it('stock reports move the revision but never the version a client holds', () => {
    const p = newProduct('PROD-001', draft, at);
    const s = applyStock(p, 48, 3, at)!;
    expect(s).toMatchObject({ stock: 48, stockVersion: 3, version: 1, revision: 2 });
    expect(applyStock(s, 40, 2, at)).toBeUndefined(); // older report
    expect(applyStock(s, 48, 4, at)).toBeUndefined(); // nothing visible changes
    expect(applyPatch(s, { featured: true }, 1, at).product).toMatchObject({ version: 2, revision: 3 });
  });

  it('a deleted id can be created again and keeps counting revisions', () => {
    const p = newProduct('PROD-001', draft, at);
    const gone = tombstone(p, undefined, at);
    expect(gone).toMatchObject({ deleted: true, version: 2, revision: 2 });
    expect(newProduct('PROD-001', draft, at, gone)).toMatchObject({ version: 1, revision: 3, deleted: false });
  });
});
