/**
 * GET /api/catalog/{id}: one product (Query): cache, then index, then the write model. The
 * answer says where it came from (`x-cache: hit|miss`), as caches in front of an API do.
 */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { queryDependencies } from '../dependencies';
import { productPath } from '../schemas';
import { getProduct } from '../use-cases/queries';
import { etag } from './versioning';

const deps = queryDependencies();

export async function getProductRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, productPath, 'path');
  const { product, source } = await getProduct(deps, id);
  return json(200, product, { etag: etag(product.version), 'x-cache': source === 'cache' ? 'hit' : 'miss' });
}
