/**
 * One function serves each side of the catalog (commands, queries): this maps an API Gateway
 * proxy event's method and resource to its route. The routes stay one module each.
 */
import { NotFoundError } from '../../shared/errors';
import type { HttpRoute } from '../../shared/http';

export function router(routes: Record<string, HttpRoute>): HttpRoute {
  return async (event, context) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`no route for ${event.httpMethod} ${event.resource}`);
    return route(event, context);
  };
}
