/** DELETE /api/catalog/{id}: deletes a product (Command); a version (body or If-Match) is checked when sent. */
import { json, parseBody, parseParams, type HttpEvent } from '../../shared/http';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { productRepository } from '../dependencies';
import { deleteBody, productPath } from '../schemas';
import { deleteProduct } from '../use-cases/commands';
import { expectedVersion } from './versioning';

const repo = productRepository();

export async function deleteProductRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, productPath, 'path');
  const body = event.parsedBody === undefined ? {} : parseBody(event, deleteBody);
  const result = await deleteProduct(repo, id, expectedVersion(event, body.version, false));
  logger.info('product deleted', { product_id: id, version: result.version });
  metrics.addMetric('ProductsDeleted', MetricUnit.Count, 1);
  return json(200, result);
}
