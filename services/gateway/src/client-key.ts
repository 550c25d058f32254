import type { Context } from 'hono';
import { clientIp, ipBucket } from './domain.ts';

/**
 * Who a rate limit counts against. The default is the client address; once identity forwards a
 * verified caller, a key function can return `acct:<id>` for signed-in requests instead (and
 * fall back to the address for anonymous ones).
 */
export type ClientKey = (c: Context) => string;

/** The socket peer's address under @hono/node-server; undefined for in-memory `app.request()`. */
export function socketIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export function ipClientKey(trustedHops: number): ClientKey {
  return (c) => `ip:${ipBucket(clientIp(socketIp(c), c.req.header('x-forwarded-for'), trustedHops))}`;
}
