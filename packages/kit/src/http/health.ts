import type { Hono } from 'hono';
import { withTimeout } from '../db/pool.ts';
import type { Metrics } from '../metrics.ts';
import { problem, problemResponse } from './problem.ts';
import type { KitEnv } from './router.ts';

export type ReadinessCheck = () => Promise<void>;

/**
 * A check with a say in readiness. `critical: false` is for a dependency the service can serve
 * without (a cache, rate limits that fail open): its failure shows as `degraded: <why>` in the
 * body while /readyz stays 200, so one Redis outage does not take every replica out of the load
 * balancer at once, yet an operator still sees it.
 */
export interface ReadinessEntry {
  readonly check: ReadinessCheck;
  /** Default true: a failure makes /readyz answer 503. */
  readonly critical?: boolean;
}

export type ReadinessChecks = Record<string, ReadinessCheck | ReadinessEntry>;

export interface HealthOptions {
  readonly checks: ReadinessChecks;
  readonly metrics: Metrics;
  readonly isShuttingDown: () => boolean;
  readonly timeoutMs?: number;
}

const entryOf = (c: ReadinessCheck | ReadinessEntry): Required<ReadinessEntry> =>
  typeof c === 'function' ? { check: c, critical: true } : { check: c.check, critical: c.critical ?? true };

/**
 * `/healthz`: the process is alive (never touches dependencies, so a database outage does not
 * restart every pod). `/readyz`: every critical dependency answered within the timeout and we are
 * not draining; non-critical ones that did not are reported as degraded. `/metrics`: Prometheus
 * text format.
 */
export function mountHealth(app: Hono<KitEnv>, opts: HealthOptions): void {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (opts.isShuttingDown()) return problemResponse(c, problem(503, 'shutting down'));
    // Read per request: a runtime may add or replace checks after the app is built.
    const entries = Object.entries(opts.checks).map(([name, c]) => [name, entryOf(c)] as const);
    const results = await Promise.all(
      entries.map(async ([name, { check, critical }]) => {
        try {
          // A dependency we can serve without must not make the probe itself time out.
          await withTimeout(check(), critical ? timeoutMs : timeoutMs / 2, name);
          return { name, critical, failure: undefined };
        } catch (err) {
          return { name, critical, failure: (err as Error)?.message || 'failed' };
        }
      }),
    );
    const checks = Object.fromEntries(
      results.map((r) => [r.name, r.failure === undefined ? 'ok' : r.critical ? r.failure : `degraded: ${r.failure}`]),
    );
    const failing = results.filter((r) => r.failure !== undefined && r.critical).map((r) => r.name);
    if (failing.length > 0) {
      return problemResponse(c, problem(503, `not ready: ${failing.join(', ')} unreachable`, { checks }));
    }
    const degraded = results.some((r) => r.failure !== undefined);
    return c.json({ status: degraded ? 'degraded' : 'ok', checks });
  });
  app.get('/metrics', async (c) =>
    c.body(await opts.metrics.registry.metrics(), 200, { 'content-type': opts.metrics.registry.contentType }),
  );
}
