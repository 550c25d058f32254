import { timingSafeEqual } from 'node:crypto';
import { Forbidden, type KitEnv, Unauthorized } from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';

/**
 * Stand-in for the kit's `requireAdminToken` (packages/kit/src/http/admin-token.ts), which the
 * kit's index does not export yet. Same behaviour: `Authorization: Bearer <token>` or
 * `X-Admin-Token`; none → 401, wrong → 403. Delete this file once the kit exports it.
 */
export function requireAdminToken(token: string): MiddlewareHandler<KitEnv> {
  if (token.length < 16) throw new Error('the admin token must be at least 16 characters');
  const expected = Buffer.from(token);
  return async function requireAdminTokenMiddleware(c, next) {
    const header = c.req.header('authorization');
    const given = c.req.header('x-admin-token') ?? (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
    if (!given) throw new Unauthorized('this route is for staff: send the admin token');
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new Forbidden('the admin token is not valid');
    }
    await next();
  };
}
