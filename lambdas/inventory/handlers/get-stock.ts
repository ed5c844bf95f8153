/** GET /api/inventory/{product_id}: one product's stock levels. */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { metrics, MetricUnit } from '../../shared/powertools';
import { stockRepository } from '../dependencies';
import { productPath } from '../schemas';
import { getStock } from '../use-cases/stock';

export async function getStockRoute(event: HttpEvent) {
  const { product_id } = parseParams(event.pathParameters, productPath, 'path');
  const stock = await getStock(stockRepository, product_id);
  metrics.addMetric('InventoryReads', MetricUnit.Count, 1);
  return json(200, stock);
}

