/** GET /api/orders/{id}/events: the order's log, oldest first. */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { eventStore } from '../dependencies';
import { orderPath } from '../schemas';
import { orderEvents } from '../use-cases/queries';

const store = eventStore();

export async function orderEventsRoute(event: HttpEvent) {
  const { id } = parseParams(event.pathParameters, orderPath, 'path');
  const events = await orderEvents(store, id);
  return json(200, { order_id: id, version: events.at(-1)!.seq, events });
}
