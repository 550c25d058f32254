import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { Forbidden, Unauthorized } from '../errors.ts';
import type { KitEnv } from './router.ts';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Staff routes before identity exists: a static token from config, sent as
 * `Authorization: Bearer <token>` or `X-Admin-Token`. Replaced by `requireRole` when identity
 * lands; kept in the kit so every service refuses the same way.
 */
export function requireAdminToken(token: string): MiddlewareHandler<KitEnv> {
  if (token.length < 16) throw new Error('the admin token must be at least 16 characters');
  return async function requireAdminTokenMiddleware(c, next) {
    const header = c.req.header('authorization');
    const given = c.req.header('x-admin-token') ?? (header?.startsWith('Bearer ') ? header.slice(7) : undefined);
    if (!given) throw new Unauthorized('this route is for staff: send the admin token');
    if (!same(given, token)) throw new Forbidden('the admin token is not valid');
    await next();
  };
}
