import { problem, problemResponse } from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';
import type { ClientKey } from './client-key.ts';
import type { RateLimit } from './config.ts';
import { forClass, type PerClass, parseApiPath, rateLimitHeaders, routeClass } from './domain.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

export interface RateLimitOptions {
  readonly store: RateLimitStore;
  readonly limits: PerClass<RateLimit>;
  readonly key: ClientKey;
  readonly metrics?: GatewayMetrics;
}

/**
 * A token bucket per client and route class, shared by all replicas through Redis. When Redis
 * cannot answer the request goes through (fail open): a short window without limits is better
 * at the edge than refusing every shopper. The RateLimit-* headers tell clients their budget.
 */
export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  return async function rateLimitMiddleware(c, next) {
    const cls = routeClass(c.req.method, parseApiPath(c.req.path)?.service);
    const limit = forClass(opts.limits, cls);
    const decision = await opts.store.take(`rl:${cls}:${opts.key(c)}`, limit);
    if (!decision) return next();
    const headers = rateLimitHeaders(decision, limit);
    if (!decision.allowed) {
      opts.metrics?.rateLimited.inc({ class: cls });
      return problemResponse(
        c,
        problem(429, `too many ${cls} requests: retry in ${headers['retry-after']} s`, {
          retryAfter: Number(headers['retry-after']),
        }),
        headers,
      );
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}
