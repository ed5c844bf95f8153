/** GET /api/catalog/featured/list: featured products, most popular first (Query). */
import { decodeCursor } from '../../shared/cursor';
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { queryDependencies } from '../dependencies';
import { featuredQuery } from '../schemas';
import { featuredProducts } from '../use-cases/queries';

const deps = queryDependencies();

export async function featuredProductsRoute(event: HttpEvent) {
  const q = parseParams(event.queryStringParameters, featuredQuery, 'query');
  return json(200, await featuredProducts(deps, { filters: { category: q.category }, limit: q.limit, cursor: decodeCursor(q.cursor) }));
}
