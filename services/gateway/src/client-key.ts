import type { Context } from 'hono';
import { clientIp, ipBucket } from './domain.ts';
import type { GatewayEnv } from './gateway-env.ts';

/** Who a rate limit counts against. */
export type ClientKey = (c: Context<GatewayEnv>) => string;

/** The socket peer's address under @hono/node-server; undefined for in-memory `app.request()`. */
export function socketIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export function ipClientKey(trustedHops: number): ClientKey {
  return (c) =>
    `ip:${ipBucket(c.get('relayedClientIp') ?? clientIp(socketIp(c), c.req.header('x-forwarded-for'), trustedHops))}`;
}

/**
 * A signed-in caller has a bucket of their own (`acct:<id>`), so an office or a mobile carrier
 * behind one address does not share one budget; anonymous requests count against the address.
 * Only a verified caller counts: edge-auth.ts sets it after checking the signature.
 */
export function accountOrIpClientKey(trustedHops: number): ClientKey {
  const byIp = ipClientKey(trustedHops);
  return (c) => {
    const caller = c.get('caller');
    return caller ? `acct:${caller.id}` : byIp(c);
  };
}
