/** GET /api/orders/{id}: the order's read model (the fold of its log). */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { eventStore } from '../dependencies';
import { orderPath } from '../schemas';
import { getOrder } from '../use-cases/queries';

const store = eventStore();

export async function getOrderRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, orderPath, 'path');
  const order = await getOrder(store, id);
  return json(200, order, { etag: `"${order.version}"` });
}
