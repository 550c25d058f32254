import { timingSafeEqual } from 'node:crypto';
import { Forbidden, type KitEnv, Unauthorized } from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';

/**
 * Service-to-service routes (the checkout redeeming a code) until services get their own
 * credentials: the installation's shared token as `X-Service-Token` (or `X-Admin-Token`, as the
 * kit's stand-in `requireAdminToken` reads it, which the kit's index does not export yet).
 * None → 401, wrong → 403.
 */
export function requireServiceToken(token: string): MiddlewareHandler<KitEnv> {
  if (token.length < 16) throw new Error('the service token must be at least 16 characters');
  const expected = Buffer.from(token);
  return async function requireServiceTokenMiddleware(c, next) {
    const given = c.req.header('x-service-token') ?? c.req.header('x-admin-token');
    if (!given) throw new Unauthorized('this route is for other services: send the service token');
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new Forbidden('the service token is not valid');
    }
    await next();
  };
}
