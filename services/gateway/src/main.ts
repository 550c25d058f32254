import { createRuntime, loadConfig } from '@storefront/kit';
import { createApp } from './app.ts';
import { createCacheStore } from './cache-store.ts';
import { gatewayConfig, internalPaths, upstreamUrls } from './config.ts';
import { subscribeCacheInvalidation, watchBroadcast } from './events.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { createRedisGuard } from './redis-guard.ts';
import { createUpstreams } from './upstreams.ts';

const config = loadConfig(gatewayConfig);
const urls = upstreamUrls(process.env);
const rt = await createRuntime({ service: 'gateway', config, needs: { redis: true, broadcast: true } });

// Readiness means "can serve". Redis is an optimisation here (cache bypassed, limits fail open)
// and NATS only carries cache invalidations (the cache is bypassed while it is away), so neither
// may take every gateway replica out of the load balancer at once: /readyz reports them as
// degraded and stays 200.
for (const name of ['redis', 'nats'] as const) {
  const check = rt.readiness[name];
  if (check) rt.readiness[name] = { check: typeof check === 'function' ? check : check.check, critical: false };
}

const metrics = createGatewayMetrics(rt.metrics);
const guard = createRedisGuard({
  redis: rt.redis,
  skipMs: config.REDIS_SKIP_MS,
  onDegraded: (degraded) => {
    metrics.redisDegraded.set(degraded ? 1 : 0);
    if (degraded) rt.log.warn('redis unavailable: cache bypassed, rate limits failing open');
    else rt.log.info('redis back');
  },
  onSkip: (op) => metrics.redisSkipped.inc({ op }),
});
const cache = createCacheStore(guard, config.REDIS_PREFIX);
subscribeCacheInvalidation(rt.broadcast, cache, rt.log);
watchBroadcast(rt.broadcast, cache, rt.log);

const upstreams = createUpstreams({
  urls,
  disabled: config.DISABLED_SERVICES,
  connections: config.UPSTREAM_CONNECTIONS,
  keepAliveMs: config.UPSTREAM_KEEPALIVE_MS,
  connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
  circuit: { failures: config.CIRCUIT_FAILURES, openMs: config.CIRCUIT_OPEN_MS },
});

const app = createApp({ config, upstreams, guard, cache, metrics, log: rt.log });
// The gateway is the one server the internet reaches, so its /metrics and /openapi.json are guarded.
const running = await rt.serve(app, {
  description: 'The public edge: routes /api/<service> and the web shop.',
  internalPaths: internalPaths(config),
});
rt.log.info({ url: running.url, upstreams: urls }, 'gateway ready');
