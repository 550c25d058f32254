import type { Caller, KitVariables } from '@storefront/kit';

/** Request-scoped values the gateway's middleware hand to each other. */
export type GatewayVariables = KitVariables & {
  /** The verified caller (edge-auth.ts), when the request carried a good token; the rate limiter keys on it. */
  caller?: Caller;
  /** The shopper's address when web relayed this API call with its edge token (web-relay.ts). */
  relayedClientIp?: string;
  /** This response's CSP nonce; web receives it as `x-csp-nonce` to stamp its script tags. */
  cspNonce: string;
  /** Headers a middleware wants on the upstream request (e.g. the cache asks for an unencoded body). */
  upstreamHeaders?: Record<string, string>;
  /** The upstream's body when the proxy read it whole, so the cache can store it without a copy. */
  upstreamBody?: Uint8Array;
};

export type GatewayEnv = { Variables: GatewayVariables };
