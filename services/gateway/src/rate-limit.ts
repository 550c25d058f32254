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
/**
 * The shop's static files (stylesheet, scripts, icon, manifest): a page view fetches several, they
 * cost web almost nothing, and counting them would spend a shopper's budget on page furniture.
 */
const STATIC_WEB = /^\/(assets\/[\w.-]+|manifest\.webmanifest|robots\.txt|favicon\.ico)$/;

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler {
  return async function rateLimitMiddleware(c, next) {
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && STATIC_WEB.test(c.req.path)) return next();
    const cls = routeClass(c.req.method, parseApiPath(c.req.path)?.service);
    const limit = forClass(opts.limits, cls);
    const decision = await opts.store.take(`rl:${cls}:${opts.key(c)}`, limit);
    if (!decision) return next();
    const headers = rateLimitHeaders(decision, limit);
    if (!decision.allowed) {
      opts.metrics?.rateLimited.inc({ class: cls });
      // A browser asking for a page gets a page it can show; API clients get the problem document.
      if (!/^\/api(\/|$)/.test(c.req.path) && (c.req.header('accept') ?? '').includes('text/html')) {
        return c.html(slowDownPage(Number(headers['retry-after'])), 429, { ...headers, 'cache-control': 'no-store' });
      }
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

function slowDownPage(retryAfter: number): string {
  const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : 1;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Please slow down · Storefront</title></head><body><main><h1>Please slow down</h1><p>You are going a little fast. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.</p><p><a href="/">Home</a></p></main></body></html>`;
}
