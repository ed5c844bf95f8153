/** GET /api/catalog: products by filters (category, brand, price range, stock), sorted, a page at a time (Query). */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { queryDependencies } from '../dependencies';
import { listQuery } from '../schemas';
import { listProducts } from '../use-cases/queries';
import { pageRequest } from './params';

const deps = queryDependencies();

export async function listProductsRoute(event: HttpEvent) {
  const q = parseParams(event.queryStringParameters, listQuery, 'query');
  return json(200, await listProducts(deps, pageRequest(q)));
}
