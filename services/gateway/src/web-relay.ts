import { timingSafeEqual } from 'node:crypto';
import { CLIENT_IP_HEADER, EDGE_TOKEN_HEADER, edgeToken } from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';
import { isIp } from './domain.ts';
import type { GatewayEnv } from './gateway-env.ts';

/**
 * Web renders pages by calling the API through this gateway, so every API call it makes comes
 * from web's address. Web passes on the shopper's address (which this gateway gave it when it
 * forwarded the page request); only with the edge token is it believed. Then rate limits count
 * against the shopper, not against web, and identity's per-address sign-in limits see the shopper
 * too — otherwise one shopper hammering sign-in would lock every shopper out through web.
 */
export function webRelay(serviceToken: string | undefined): MiddlewareHandler<GatewayEnv> {
  const expected = serviceToken ? Buffer.from(edgeToken(serviceToken)) : undefined;
  return async function webRelayMiddleware(c, next) {
    const sent = c.req.header(EDGE_TOKEN_HEADER);
    if (expected && sent) {
      const got = Buffer.from(sent);
      const ip = c.req.header(CLIENT_IP_HEADER)?.trim();
      if (got.length === expected.length && timingSafeEqual(got, expected) && ip && isIp(ip)) {
        c.set('relayedClientIp', ip);
      }
    }
    await next();
  };
}
