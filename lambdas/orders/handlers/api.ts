/**
 * The Orders API function: every route under /api/orders. One function, one role (the orders
 * tables, the idempotency records, reading the saga's executions), kept warm by all its routes.
 */
import { httpHandler } from '../../shared/http';
import { router } from '../../shared/router';
import { getOrderRoute } from './get-order';
import { getPriceRoute } from './get-price';
import { healthRoute } from './health';
import { listOrdersRoute } from './list-orders';
import { orderEventsRoute } from './order-events';
import { orderStatusRoute } from './order-status';
import { placeOrderRoute } from './place-order';

export const handler = httpHandler(
  router({
    'POST /api/orders': placeOrderRoute,
    'GET /api/orders': listOrdersRoute,
    'GET /api/orders/health': healthRoute,
    'GET /api/orders/prices/{product_id}': getPriceRoute,
    'GET /api/orders/{id}': getOrderRoute,
    'GET /api/orders/{id}/events': orderEventsRoute,
    'GET /api/orders/{id}/status': orderStatusRoute,
  }),
);
