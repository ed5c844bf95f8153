/** POST /api/inventory/{product_id}/restock: adds units to a product's available stock. */
import { json, parseBody, parseParams, type HttpEvent } from '../../shared/http';
import { METRICS } from '../../shared/metric-names';
import { logger, metrics, MetricUnit } from '../../shared/powertools';
import { stockRepository } from '../dependencies';
import { productPath, restockBody } from '../schemas';
import { restock } from '../use-cases/stock';

export async function restockRoute(event: HttpEvent) {
  const { product_id } = parseParams(event.pathParameters, productPath, 'path');
  const { quantity, reason } = parseBody(event, restockBody);
  const stock = await restock(stockRepository, product_id, quantity, undefined, reason);
  logger.info('restocked', { product_id, quantity, reason, available: stock.available });
  metrics.addDimensions({ operation: 'restock', status: 'success' }); // inventory_operations_total{operation,status}
  metrics.addMetric(METRICS.inventoryOperations.name, MetricUnit.Count, 1);
  metrics.addMetric('InventoryUnitsRestocked', MetricUnit.Count, quantity);
  return json(200, stock);
}

