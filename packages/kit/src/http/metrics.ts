import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics.ts';
import { routeLabel } from './route-label.ts';
import type { KitEnv } from './router.ts';

/**
 * RED metrics per route template: the histogram gives rate, errors (by status) and duration, the
 * gauge what is in flight. Times with one `performance.now()` pair and `observe` rather than
 * prom-client's `startTimer`, whose closure, `hrtime` pair and label merge cost about as much again.
 */
export function httpMetrics(metrics: Metrics): MiddlewareHandler<KitEnv> {
  const { httpDuration, httpInFlight } = metrics;
  return async function httpMetricsMiddleware(c, next) {
    const start = performance.now();
    httpInFlight.inc();
    try {
      await next();
    } finally {
      httpInFlight.dec();
      httpDuration.observe(
        { method: c.req.method, route: routeLabel(c), status: String(c.res.status) },
        (performance.now() - start) / 1000,
      );
    }
  };
}
