import type { BenchRequest, Scenario } from '../types.ts';

const target = new URL('./gateway-target.ts', import.meta.url);
// Fifty products, cycled: after the first pass every answer comes from the Redis response cache.
const products: BenchRequest[] = Array.from({ length: 50 }, (_, i) => ({ path: `/api/catalog/products/${i + 1}` }));
// Budget far above the load so the bench measures the limiter's cost, not its refusals.
const limits = JSON.stringify({ default: { rate: 1_000_000, burst: 1_000_000 } });

/** A product page's API call through the gateway, answered from the cache (rate limit on, as in production). */
export const gatewayCachedProduct: Scenario = {
  name: 'gateway-cached-product',
  description: 'GET /api/catalog/products/:id via the gateway, Redis cache hit + Redis rate limit, logs at info',
  target: { kind: 'spawn', entry: target, ready: '/healthz', env: { RATE_LIMITS: limits } },
  requests: products,
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};

/** The same calls forwarded every time over the keep-alive pool (cache off): the proxy path's cost. */
export const gatewayProxiedProduct: Scenario = {
  name: 'gateway-proxied-product',
  description: 'GET /api/catalog/products/:id via the gateway to a stand-in catalog, cache off, rate limit on',
  target: { kind: 'spawn', entry: target, ready: '/healthz', env: { RATE_LIMITS: limits, CACHE_ENABLED: 'false' } },
  requests: products,
  loads: [{ mode: 'max' }, { mode: 'fixed' }],
};
