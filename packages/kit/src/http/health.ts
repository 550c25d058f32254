import type { Hono } from 'hono';
import { withTimeout } from '../db/pool.ts';
import type { Metrics } from '../metrics.ts';
import { problem, problemResponse } from './problem.ts';
import type { KitEnv } from './router.ts';

export type ReadinessChecks = Record<string, () => Promise<void>>;

export interface HealthOptions {
  readonly checks: ReadinessChecks;
  readonly metrics: Metrics;
  readonly isShuttingDown: () => boolean;
  readonly timeoutMs?: number;
}

/**
 * `/healthz`: the process is alive (never touches dependencies, so a database outage does not
 * restart every pod). `/readyz`: every dependency answered within the timeout and we are not
 * draining. `/metrics`: Prometheus text format.
 */
export function mountHealth(app: Hono<KitEnv>, opts: HealthOptions): void {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (opts.isShuttingDown()) return problemResponse(c, problem(503, 'shutting down'));
    const entries = Object.entries(opts.checks);
    const results = await Promise.all(
      entries.map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs, name);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, (err as Error).message || 'failed'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const failing = results.filter(([, r]) => r !== 'ok').map(([n]) => n);
    if (failing.length > 0) {
      return problemResponse(c, problem(503, `not ready: ${failing.join(', ')} unreachable`, { checks }));
    }
    return c.json({ status: 'ok', checks });
  });
  app.get('/metrics', async (c) =>
    c.body(await opts.metrics.registry.metrics(), 200, { 'content-type': opts.metrics.registry.contentType }),
  );
}
