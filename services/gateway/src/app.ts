import { createRouter, createVerifier, type Logger, remoteJwks, type Verifier } from '@storefront/kit';
import type { CacheStore } from './cache-store.ts';
import { accountOrIpClientKey, type ClientKey } from './client-key.ts';
import type { GatewayConfig } from './config.ts';
import { corsFromConfig } from './cors.ts';
import { docsPage } from './docs-page.ts';
import { edgeAuth } from './edge-auth.ts';
import type { GatewayEnv } from './gateway-env.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { createOpenApiSource } from './openapi-source.ts';
import { apiProxy, type ProxyOptions, webProxy } from './proxy.ts';
import { rateLimit } from './rate-limit.ts';
import { createRateLimitStore } from './rate-limit-store.ts';
import type { RedisGuard } from './redis-guard.ts';
import { responseCache } from './response-cache.ts';
import { securityHeaders } from './security-headers.ts';
import type { Upstreams } from './upstreams.ts';
import { webRelay } from './web-relay.ts';

export interface GatewayDeps {
  readonly config: GatewayConfig;
  readonly upstreams: Upstreams;
  readonly guard: RedisGuard;
  readonly cache: CacheStore;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
  /** Whose rate-limit bucket a request uses; by default the verified account, else the client address. */
  readonly clientKey?: ClientKey;
  /** Checks access tokens; by default against identity's JWKS at JWKS_URL, fetched and cached. */
  readonly verifier?: Verifier;
  readonly now?: () => number;
}

/**
 * The public edge. Order: security headers on everything → CORS for /api → token check and route
 * policy for /api (refusals never reach a service) → rate limit, per account once signed in →
 * the gateway's own API docs → response cache for catalog reads → proxy to the service, or to web.
 */
export function createApp(deps: GatewayDeps) {
  const { config, upstreams, metrics } = deps;
  const app = createRouter<GatewayEnv>();
  const now = deps.now ?? Date.now;

  app.use('*', securityHeaders());
  const cors = corsFromConfig(config.CORS_ORIGINS);
  if (cors) app.use('/api/*', cors);
  const verifier =
    deps.verifier ??
    createVerifier({ jwks: remoteJwks(config.JWKS_URL), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  app.use('/api/*', webRelay(config.ADMIN_TOKEN));
  app.use('/api/*', edgeAuth({ verifier }));
  if (config.RATE_LIMIT_ENABLED) {
    app.use(
      '*',
      rateLimit({
        store: createRateLimitStore(deps.guard),
        limits: config.RATE_LIMITS,
        key: deps.clientKey ?? accountOrIpClientKey(config.TRUST_PROXY),
        metrics,
      }),
    );
  }

  const docs = createOpenApiSource({
    upstreams: () => upstreams.list(),
    dispatcher: upstreams.dispatcher,
    cacheMs: config.OPENAPI_CACHE_SECONDS * 1000,
    log: deps.log,
    now,
  });
  app.get('/api', (c) =>
    c.json({
      services: upstreams
        .list()
        .filter((u) => u.name !== 'web')
        .map((u) => ({ name: u.name, path: `/api/${u.name}` })),
      docs: '/api/docs',
      openapi: '/api/openapi.json',
    }),
  );
  app.get('/api/openapi.json', async (c) => c.json(await docs.get()));
  app.get('/api/docs', async (c) => c.html(docsPage(await docs.get(), c.get('cspNonce'))));

  if (config.CACHE_ENABLED) {
    app.use(
      '/api/catalog/*',
      responseCache({
        store: deps.cache,
        ttlSeconds: config.CACHE_TTL_SECONDS,
        maxBytes: config.CACHE_MAX_BYTES,
        metrics,
        now,
      }),
    );
  }
  const proxy: ProxyOptions = {
    upstreams,
    timeouts: config.UPSTREAM_TIMEOUTS_MS,
    trustProxy: config.TRUST_PROXY > 0,
    trustedHops: config.TRUST_PROXY,
    bufferUpTo: Math.max(65_536, config.CACHE_MAX_BYTES),
    metrics,
  };
  app.all('/api', apiProxy(proxy));
  app.all('/api/*', apiProxy(proxy));
  app.all('*', webProxy(proxy));
  return app;
}
