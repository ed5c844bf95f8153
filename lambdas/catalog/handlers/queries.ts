/**
 * The catalog's query function: every GET under /api/catalog. One function for the read side
 * (one role: read the products table and the index; the cache is reached over the network),
 * which also keeps its Redis and OpenSearch connections warm for all of them.
 */
import { httpHandler } from '../../shared/http';
import { featuredProductsRoute } from './featured-products';
import { getProductRoute } from './get-product';
import { healthRoute } from './health';
import { listCategoriesRoute } from './list-categories';
import { listProductsRoute } from './list-products';
import { router } from '../../shared/router';
import { searchProductsRoute } from './search-products';

export const handler = httpHandler(
  router({
    'GET /api/catalog': listProductsRoute,
    'GET /api/catalog/{id}': getProductRoute,
    'GET /api/catalog/search/{query}': searchProductsRoute,
    'GET /api/catalog/featured/list': featuredProductsRoute,
    'GET /api/catalog/meta/categories': listCategoriesRoute,
    'GET /api/catalog/health': healthRoute,
  }),
);
