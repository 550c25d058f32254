import type { MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics.ts';
import { routeLabel } from './route-label.ts';
import type { KitEnv } from './router.ts';

/** RED metrics per route template: the histogram gives rate, errors (by status) and duration. */
export function httpMetrics(metrics: Metrics): MiddlewareHandler<KitEnv> {
  return async function httpMetricsMiddleware(c, next) {
    const end = metrics.httpDuration.startTimer();
    metrics.httpInFlight.inc();
    try {
      await next();
    } finally {
      metrics.httpInFlight.dec();
      end({ method: c.req.method, route: routeLabel(c), status: String(c.res.status) });
    }
  };
}
