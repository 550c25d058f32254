import client, { type Counter, type Gauge, type Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpInFlight: Gauge;
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    collect?: (this: Gauge<L>) => void | Promise<void>,
  ): Gauge<L>;
  histogram<L extends string>(name: string, help: string, labelNames?: readonly L[], buckets?: number[]): Histogram<L>;
}

/** Latency buckets from 1 ms to 10 s: where a storefront's answers actually fall. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One registry per app (not prom-client's global), so tests can run several apps in one process.
 * Metric constructors are get-or-create: two modules asking for the same counter share it.
 */
export function createMetrics(opts: { service: string; runtime?: boolean }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  if (opts.runtime !== false) client.collectDefaultMetrics({ register: registry });

  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;

  const metrics: Metrics = {
    registry,
    httpDuration: new client.Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP requests by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    httpInFlight: new client.Gauge({
      name: 'http_server_requests_in_flight',
      help: 'HTTP requests being served now',
      registers: [registry],
    }),
    counter: (name, help, labelNames = []) =>
      existing(name) ?? new client.Counter({ name, help, labelNames: [...labelNames], registers: [registry] }),
    gauge: (name, help, labelNames = [], collect) =>
      existing(name) ??
      new client.Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        ...(collect ? { collect } : {}),
      }),
    histogram: (name, help, labelNames = [], buckets = LATENCY_BUCKETS) =>
      existing(name) ??
      new client.Histogram({ name, help, labelNames: [...labelNames], buckets, registers: [registry] }),
  };
  return metrics;
}
