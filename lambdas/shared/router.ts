/**
 * One function serves several routes of a service (the catalog's commands, its queries): this maps an API Gateway
 * proxy event's method and resource to its route. The routes stay one module each.
 */
import { NotFoundError } from './errors';
import type { HttpRoute } from './http';

export function router(routes: Record<string, HttpRoute>): HttpRoute {
  return async (event, context) => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (!route) throw new NotFoundError(`no route for ${event.httpMethod} ${event.resource}`);
    return route(event, context);
  };
}
