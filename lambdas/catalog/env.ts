/**
 * The Catalog functions' environment: the names of their variables (the CDK constructs import
 * them) and readers. The catalog's functions differ in what they reach (the commands never open
 * the search index or the cache), so each reader covers one part, and the dependency module
 * calls the ones a function uses, once, when its handler module loads. Importing this module
 * reads nothing. The search and cache connections are shared settings (lambdas/shared/env.ts).
 */
import { optionalEnv, requiredEnv } from '../shared/config';
import { DEFAULT_INDEX } from './adapters/opensearch/index-definition';

export const CATALOG_ENV = {
  productsTable: 'PRODUCTS_TABLE',
  /** the search index of products (default `products`) */
  productsIndex: 'PRODUCTS_INDEX',
} as const;

export const readProductsTable = (): string => requiredEnv(CATALOG_ENV.productsTable);

export const readProductsIndex = (): string => optionalEnv(CATALOG_ENV.productsIndex, DEFAULT_INDEX);
