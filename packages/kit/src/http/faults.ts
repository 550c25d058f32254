import type { MiddlewareHandler } from 'hono';
import type { Faults } from '../faults.ts';
import { routeLabel } from './route-label.ts';
import type { KitEnv } from './router.ts';

/** Route fault flags, matched against "METHOD /template"; a failing call never reaches the handler. */
export function routeFaults(faults: Faults): MiddlewareHandler<KitEnv> {
  // Not async itself: with no rules (every pod but a chaos test's) a request pays for no extra promise.
  return function routeFaultsMiddleware(c, next) {
    if (!faults.active) return next();
    return faults.route(`${c.req.method} ${routeLabel(c)}`).then(next);
  };
}
