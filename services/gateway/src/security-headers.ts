import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from './gateway-env.ts';

/**
 * The Content-Security-Policy for everything the gateway serves. Scripts and styles run only
 * from our origin or with this response's nonce; Stripe's script, frames and API are the one
 * outside allowance, because card data must go from the browser to Stripe and never to us.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' https://js.stripe.com`,
    `style-src 'self' 'nonce-${nonce}'`,
    'frame-src https://js.stripe.com https://hooks.stripe.com',
    "connect-src 'self' https://api.stripe.com",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Checkout's POST may be answered with a redirect to Stripe's 3-D Secure page, and Chromium
    // holds a form submission's redirects to form-action too.
    "form-action 'self' https://hooks.stripe.com",
    "frame-ancestors 'none'",
  ].join('; ');
}

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|[\w.-]+\.localhost)(:\d+)?$/i;

export interface SecurityHeadersOptions {
  /** Seconds browsers remember to use HTTPS only; 0 turns HSTS off. */
  readonly hstsMaxAge?: number;
}

/**
 * Security headers on every answer, including upstream ones (the gateway's values win, so one
 * service cannot weaken the policy). HSTS is left out on localhost, where there is no TLS and a
 * remembered policy would break every other local port.
 */
export function securityHeaders(opts: SecurityHeadersOptions = {}): MiddlewareHandler<GatewayEnv> {
  const hsts = opts.hstsMaxAge ?? 31_536_000;
  return async function securityHeadersMiddleware(c, next) {
    const nonce = randomBytes(16).toString('base64');
    c.set('cspNonce', nonce);
    await next();
    const h = c.res.headers;
    h.set('content-security-policy', contentSecurityPolicy(nonce));
    h.set('x-content-type-options', 'nosniff');
    h.set('referrer-policy', 'strict-origin-when-cross-origin');
    h.set('x-frame-options', 'DENY');
    h.set('cross-origin-opener-policy', 'same-origin');
    h.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    h.delete('x-powered-by');
    if (hsts > 0 && !LOCAL_HOST.test(c.req.header('host') ?? 'localhost')) {
      h.set('strict-transport-security', `max-age=${hsts}; includeSubDomains`);
    }
  };
}
