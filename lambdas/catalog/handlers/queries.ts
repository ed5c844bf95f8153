/**
 * The catalog's query function: every GET under /api/catalog. One function for the read side
 * (one role: read the products table and the index; the cache is reached over the network),
 * which also keeps its Redis and OpenSearch connections warm for all of them.
 */
import { httpHandler } from '../../shared/http';
import { featuredProductsHandler } from './featured-products';
import { getProductHandler } from './get-product';
import { healthHandler } from './health';
import { listCategoriesHandler } from './list-categories';
import { listProductsHandler } from './list-products';
import { router } from './router';
import { searchProductsHandler } from './search-products';

export const handler = httpHandler(
  router({
    'GET /api/catalog': listProductsHandler,
    'GET /api/catalog/{id}': getProductHandler,
    'GET /api/catalog/search/{query}': searchProductsHandler,
    'GET /api/catalog/featured/list': featuredProductsHandler,
    'GET /api/catalog/meta/categories': listCategoriesHandler,
    'GET /api/catalog/health': healthHandler,
  }),
);
