/** GET /api/orders?user_id=…&limit=&cursor=: a user's orders, newest first, a page at a time. */
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { eventStore } from '../dependencies';
import { listQuery } from '../schemas';
import { listOrders } from '../use-cases/queries';

const store = eventStore();

export async function listOrdersRoute(event: HttpEvent) {
  const { user_id, limit, cursor } = parseParams(event.queryStringParameters, listQuery, 'query');
  const page = await listOrders(store, user_id, limit, decodeCursor(cursor));
  return json(200, { items: page.items, count: page.items.length, next_cursor: encodeCursor(page.next) });
}
