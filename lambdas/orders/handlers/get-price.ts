/**
 * GET /api/orders/prices/{product_id}: what Orders charges for a product now (its projection of
 * the catalog), 404 when the product is not orderable (yet). A client can send this price with
 * its order; the local cloud's start-up waits until PROD-001 is orderable.
 */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { priceStore } from '../dependencies';
import { pricePath } from '../schemas';
import { getPrice } from '../use-cases/queries';

const prices = priceStore();

export async function getPriceRoute(event: HttpEvent) {
  const { product_id } = parseParams(event.pathParameters, pricePath, 'path');
  return json(200, await getPrice(prices, product_id));
}
