import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The route template that answers this request (`/products/:id`), for metrics, span names and
 * fault rules. Routing happens before any middleware runs, so this is known up front. A handler
 * takes one argument where a middleware takes two; requests no handler matched share one label so
 * a scanner cannot blow up metric cardinality.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i];
    if (r && r.handler.length < 2) return r.path;
  }
  return 'unmatched';
}
