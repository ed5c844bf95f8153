/** GET /api/inventory?limit=&cursor=: every product's stock, a page at a time. */
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { stockRepository } from '../dependencies';
import { listQuery } from '../schemas';
import { listStock } from '../use-cases/stock';

export async function listStockRoute(event: HttpEvent) {
  const { limit, cursor } = parseParams(event.queryStringParameters, listQuery, 'query');
  const page = await listStock(stockRepository, limit, decodeCursor(cursor));
  return json(200, { items: page.items, count: page.items.length, next_cursor: encodeCursor(page.next) });
}

