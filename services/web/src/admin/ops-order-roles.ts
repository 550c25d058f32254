import type { Context, Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { forbidden, hasRole } from './ops-common.tsx';

/**
 * The orders API's roles (services/orders/src/access.ts STAFF_ROUTES) on the orders and returns
 * pages. Support and fulfillment (and admins) read orders and work the returns queue: receive a
 * parcel, inspect it at the amount the return rules give. Money and decisions — refund, cancel,
 * notes, approve or reject a return, a refund amount of one's own — are the desk's: support and
 * admins. The pages hide what the viewer cannot use; a post of it gets the 403 page, no API call.
 */
export const readsOrders = (c: Context<WebEnv>): boolean => hasRole(c, 'support', 'fulfillment');
export const onOrderDesk = (c: Context<WebEnv>): boolean => hasRole(c, 'support');

/** Lets order readers into `path` and below; others get a clear 403 page. */
export function guardOrderSection(app: Hono<WebEnv>, path: string, what: string): void {
  const guard = async (c: Context<WebEnv>, next: () => Promise<void>) => {
    if (!readsOrders(c)) return forbidden(c, what, 'support or fulfillment');
    await next();
  };
  app.use(path, guard);
  app.use(`${path}/*`, guard);
}

/** A handler only the desk may run; anyone else gets the 403 page before any API call. */
export function deskOnly<A extends unknown[]>(
  what: string,
  fn: (c: Context<WebEnv>, ...args: A) => Promise<Response>,
): (c: Context<WebEnv>, ...args: A) => Promise<Response> {
  return (c, ...args) => (onOrderDesk(c) ? fn(c, ...args) : forbidden(c, what, 'support'));
}
