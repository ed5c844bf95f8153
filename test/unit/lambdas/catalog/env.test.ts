import { CATALOG_ENV, readProductsIndex, readProductsTable } from '../../../../lambdas/catalog/env';
import { withEnvironment } from '../../../support/environment';

const names = Object.values(CATALOG_ENV);

describe('the catalog environment', () => {
  it('needs the products table', () => {
    expect(withEnvironment({ PRODUCTS_TABLE: 'products-table' }, readProductsTable, names)).toBe('products-table');
    expect(() => withEnvironment({}, readProductsTable, names)).toThrow('environment variable PRODUCTS_TABLE is required but not set');
  });

  it('searches the products index unless told another', () => {
    expect(withEnvironment({}, readProductsIndex, names)).toBe('products');
    expect(withEnvironment({ PRODUCTS_INDEX: 'products-v2' }, readProductsIndex, names)).toBe('products-v2');
  });
});
