import type { MiddlewareHandler } from 'hono';
import type { Faults } from '../faults.ts';
import { routeLabel } from './route-label.ts';
import type { KitEnv } from './router.ts';

/** Route fault flags, matched against "METHOD /template"; a failing call never reaches the handler. */
export function routeFaults(faults: Faults): MiddlewareHandler<KitEnv> {
  return async function routeFaultsMiddleware(c, next) {
    if (faults.active) await faults.route(`${c.req.method} ${routeLabel(c)}`);
    await next();
  };
}
