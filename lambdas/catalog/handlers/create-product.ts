/** POST /api/catalog: creates a product (Command). 201 with the product, its ETag and Location. */
import { json, parseBody, type HttpEvent } from '../../shared/http';
import { METRICS } from '../../shared/metric-names';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { productRepository } from '../dependencies';
import { createBody } from '../schemas';
import { createProduct } from '../use-cases/commands';
import { etag } from './versioning';

const repo = productRepository();

export async function createProductRoute(event: HttpEvent) {
  const body = parseBody(event, createBody);
  const product = await createProduct(repo, body);
  logger.info('product created', { product_id: product.product_id, category: product.category });
  metrics.addMetric(METRICS.productsCreated.name, MetricUnit.Count, 1);
  return json(201, product, { etag: etag(product.version), location: `/api/catalog/${encodeURIComponent(product.product_id)}` });
}
