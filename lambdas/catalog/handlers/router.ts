/**
 * One function serves each side of the catalog (commands, queries): this maps an API Gateway
 * proxy event's method and resource to the route's handler. The handlers stay one module each.
 */
import { NotFoundError } from '../../shared/errors';
import type { HttpHandler } from '../../shared/http';

export function router(routes: Record<string, HttpHandler>): HttpHandler {
  return async (event, context) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`no route for ${event.httpMethod} ${event.resource}`);
    return route(event, context);
  };
}
