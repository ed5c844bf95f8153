import { generationKey, productKey, queryKey } from '../../../../../lambdas/catalog/domain/cache-keys';

describe('cache keys', () => {
  it('one key per product, one generation key', () => {
    expect(productKey('PROD-001')).toBe('catalog:v1:product:PROD-001');
    expect(generationKey()).toBe('catalog:v1:generation');
  });

  it('query keys depend on generation, kind and parameters, not on parameter order', () => {
    const a = queryKey('7', 'list', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 20 });
    const b = queryKey('7', 'list', { limit: 20, sort: 'newest', filters: { brand: 'Acme', category: 'Books' } });
    expect(a).toBe(b);
    expect(a).toMatch(/^catalog:v1:query:7:list:[A-Za-z0-9_-]{22}$/);
    expect(queryKey('8', 'list', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 20 })).not.toBe(a);
    expect(queryKey('7', 'search', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 20 })).not.toBe(a);
    expect(queryKey('7', 'list', { filters: { category: 'Books', brand: 'Acme' }, sort: 'newest', limit: 21 })).not.toBe(a);
    expect(queryKey('7', 'list', { filters: { category: 'Books' }, sort: 'newest', limit: 20, after: undefined })).toBe(
      queryKey('7', 'list', { filters: { category: 'Books' }, sort: 'newest', limit: 20 }),
    );
  });
});
