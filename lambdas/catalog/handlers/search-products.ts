/** GET /api/catalog/search/{query}: full-text search with typo tolerance, filters, facets and highlights (Query). */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { METRICS } from '../../shared/metric-names';
import { metrics, MetricUnit } from '../../shared/powertools';
import { queryDependencies } from '../dependencies';
import { listQuery, searchPath } from '../schemas';
import { searchProducts } from '../use-cases/queries';
import { pageRequest } from './params';

const deps = queryDependencies();

export async function searchProductsRoute(event: HttpEvent) {
  const { query } = parseParams(event.pathParameters, searchPath, 'path');
  const q = parseParams(event.queryStringParameters, listQuery, 'query');
  const page = await searchProducts(deps, query, pageRequest(q));
  metrics.addMetric(METRICS.searchQueries.name, MetricUnit.Count, 1);
  return json(200, { query, ...page });
}
