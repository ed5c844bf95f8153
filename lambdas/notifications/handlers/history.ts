/** GET /api/notifications/history?user_id=&order_id=&channel=&status=&limit=&cursor=: newest first, a page at a time. */
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { apiDependencies } from '../dependencies';
import { historyQuery } from '../schemas';
import { listHistory } from '../use-cases/history';
import { notificationView } from './views';

const deps = apiDependencies();

export async function historyRoute(event: HttpEvent) {
  const { limit, cursor, ...filter } = parseParams(event.queryStringParameters, historyQuery, 'query');
  const page = await listHistory(deps.store, filter, limit, decodeCursor(cursor));
  return json(200, { items: page.items.map(notificationView), count: page.items.length, next_cursor: encodeCursor(page.next) });
}
