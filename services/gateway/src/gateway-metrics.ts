import type { Metrics } from '@storefront/kit';

/** The gateway's own series, next to the kit's RED metrics for every route. */
export function createGatewayMetrics(metrics: Metrics) {
  return {
    upstreamDuration: metrics.histogram(
      'gateway_upstream_request_duration_seconds',
      'Time from forwarding a request to having the upstream answer (or failing), by upstream and status',
      ['service', 'status'],
    ),
    cache: metrics.counter('gateway_cache_requests_total', 'Response cache lookups for cacheable requests', ['result']),
    rateLimited: metrics.counter('gateway_rate_limited_total', 'Requests refused with 429, by route class', ['class']),
    redisDegraded: metrics.gauge(
      'gateway_redis_degraded',
      '1 while Redis is being skipped after a failure: cache bypassed, rate limits failing open',
    ),
    redisSkipped: metrics.counter(
      'gateway_redis_skipped_total',
      'Redis operations not attempted or failed, so the request went on without Redis',
      ['op'],
    ),
    circuitOpen: metrics.counter('gateway_circuit_rejections_total', 'Requests refused because a circuit was open', [
      'service',
    ]),
  };
}
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
