import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as nodeServe } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { Faults } from './faults.ts';
import { createFaults } from './faults.ts';
import type { AccessLogOptions } from './http/access-log.ts';
import { limitBody } from './http/body-limit.ts';
import { routeFaults } from './http/faults.ts';
import { mountHealth, type ReadinessChecks } from './http/health.ts';
import { type InternalPathsOptions, internalOnly } from './http/internal-only.ts';
import { observeRequests } from './http/observe.ts';
import { problem, problemResponse, toProblem } from './http/problem.ts';
import { createRouter, type KitEnv } from './http/router.ts';
import { httpTracing } from './http/tracing.ts';
import { createLogger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';

export interface AppOptions {
  readonly service: string;
  readonly version?: string;
  readonly description?: string;
  readonly log?: Logger;
  readonly metrics?: Metrics;
  readonly faults?: Faults;
  /** Bytes; larger bodies get 413 before a handler sees them. */
  readonly bodyLimit?: number;
  readonly readiness?: ReadinessChecks;
  /** Only for a server that faces the internet: `/metrics` and `/openapi.json` answer 404 to outsiders. */
  readonly internalPaths?: InternalPathsOptions;
  /** Which requests get an access line at info (ACCESS_LOG_SAMPLE, ACCESS_LOG_SLOW_MS); see `accessLogLevel`. */
  readonly accessLog?: AccessLogOptions;
}

export interface KitApp {
  /** The composed app: kit middleware, health, metrics, OpenAPI, then the service's routes. */
  readonly app: OpenAPIHono<KitEnv>;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Flip to make /readyz answer 503 while draining. */
  setShuttingDown(): void;
}

/**
 * Wraps a service's router with everything cross-cutting. Tests call `buildApp(...).app.request()`
 * in memory; `serve` listens on a port. Order matters: the span wraps everything, so the access
 * line carries its trace id; the request id, metrics and access line see every answer.
 */
// biome-ignore lint/suspicious/noExplicitAny: a service's router may carry its own Env on top of KitEnv.
export function buildApp(service: OpenAPIHono<any>, opts: AppOptions): KitApp {
  const log = opts.log ?? createLogger({ service: opts.service });
  const metrics = opts.metrics ?? createMetrics({ service: opts.service });
  const faults = opts.faults ?? createFaults({});
  let shuttingDown = false;

  const app = createRouter();
  app.use('*', httpTracing());
  app.use('*', observeRequests({ log, metrics, ...(opts.accessLog ? { accessLog: opts.accessLog } : {}) }));
  app.use('*', limitBody(opts.bodyLimit ?? 1_048_576));
  app.use('*', routeFaults(faults));
  if (opts.internalPaths) app.use('*', internalOnly(opts.internalPaths));
  mountHealth(app, { checks: opts.readiness ?? {}, metrics, isShuttingDown: () => shuttingDown });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: `storefront ${opts.service}`,
      version: opts.version ?? '0.1.0',
      description: opts.description ?? '',
    },
  });
  app.route('/', service);

  app.notFound((c) => problemResponse(c, problem(404, `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    const { problem: p, headers, unexpected } = toProblem(err);
    const reqLog = c.get('log') ?? log;
    if (unexpected) reqLog.error({ err }, 'unhandled error');
    return problemResponse(c, p, headers);
  });

  return {
    app,
    log,
    metrics,
    setShuttingDown: () => {
      shuttingDown = true;
    },
  };
}

export interface ServeOptions extends AppOptions {
  readonly port: number;
  readonly host?: string;
  /** Run after HTTP has drained, in order: stop consumers, then close pools. */
  readonly onShutdown?: readonly (() => Promise<void>)[];
  readonly shutdownGraceMs?: number;
  /** Exit the process on SIGTERM/SIGINT after draining (default true). Tests pass false. */
  readonly handleSignals?: boolean;
}

export interface Running {
  readonly port: number;
  readonly url: string;
  readonly kit: KitApp;
  /** Graceful: stop accepting, finish in-flight requests (bounded by the grace), then closers. */
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: see buildApp.
export async function serve(service: OpenAPIHono<any>, opts: ServeOptions): Promise<Running> {
  const kit = buildApp(service, opts);
  const server = await new Promise<Server>((resolve) => {
    const s = nodeServe({ fetch: kit.app.fetch, port: opts.port, hostname: opts.host ?? '0.0.0.0' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const port = (server.address() as AddressInfo).port;
  const grace = opts.shutdownGraceMs ?? 20_000;
  let closing: Promise<void> | undefined;

  const close = () => {
    closing ??= (async () => {
      kit.setShuttingDown();
      kit.log.info({ graceMs: grace }, 'draining');
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection whose last request just finished would otherwise hold the drain
      // open until its idle timeout; close each one as soon as it goes idle.
      server.closeIdleConnections();
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      const timer = setTimeout(() => server.closeAllConnections(), grace);
      await drained;
      clearInterval(sweeper);
      clearTimeout(timer);
      for (const closer of opts.onShutdown ?? []) {
        await closer().catch((err) => kit.log.error({ err }, 'error during shutdown'));
      }
      kit.log.info('stopped');
    })();
    return closing;
  };

  if (opts.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      kit.log.info({ signal }, 'shutdown requested');
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  kit.log.info({ port }, `${opts.service} listening`);
  return { port, url: `http://127.0.0.1:${port}`, kit, close };
}
