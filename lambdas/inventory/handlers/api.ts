/**
 * The inventory API function: every route under /api/inventory. One function, one role (the
 * stock table, and the outbox for restocks), kept warm by all of its routes.
 */
import { httpHandler } from '../../shared/http';
import { router } from '../../shared/router';
import { getStockRoute } from './get-stock';
import { healthRoute } from './health';
import { listStockRoute } from './list-stock';
import { restockRoute } from './restock';

export const handler = httpHandler(
  router({
    'GET /api/inventory': listStockRoute,
    'GET /api/inventory/health': healthRoute,
    'GET /api/inventory/{product_id}': getStockRoute,
    'POST /api/inventory/{product_id}/restock': restockRoute,
  }),
);
