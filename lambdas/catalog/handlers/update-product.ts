/** PUT /api/catalog/{id}: changes a product's fields (Command); needs the version read (body or If-Match). */
import { json, parseBody, parseParams, type HttpEvent } from '../../shared/http';
import { METRICS } from '../../shared/metric-names';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { productRepository } from '../dependencies';
import { productPath, updateBody } from '../schemas';
import { updateProduct } from '../use-cases/commands';
import { etag, expectedVersion } from './versioning';

const repo = productRepository();

export async function updateProductRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, productPath, 'path');
  const body = parseBody(event, updateBody);
  const version = expectedVersion(event, body.version, true);
  const product = await updateProduct(repo, id, body, version);
  logger.info('product updated', { product_id: id, version: product.version });
  metrics.addMetric(METRICS.productsUpdated.name, MetricUnit.Count, 1);
  return json(200, product, { etag: etag(product.version) });
}
