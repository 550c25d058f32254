import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type Clock, type IdFactory, newId } from '@storefront/contracts';
import { type Broadcast, connectBroadcast } from './broadcast.ts';
import { busMigrationsDir, connectBus } from './bus/index.ts';
import type { Bus } from './bus/types.ts';
import type { BaseConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { createDb, type Db } from './db/pool.ts';
import { createFaults, type Faults } from './faults.ts';
import type { ReadinessChecks } from './http/health.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createRedis, pingRedis, type Redis } from './redis.ts';
import { type AppOptions, type Running, serve } from './serve.ts';
import { startTracing } from './tracing/setup.ts';

/** The data-plane variables (dataConfigShape); present when the service uses that dependency. */
interface DataConfig {
  DATABASE_URL?: string;
  REDIS_URL?: string;
  REDIS_PREFIX?: string;
  NATS_URL?: string;
  EVENT_PREFIX?: string;
  MIGRATE_ON_START?: boolean;
  DB_POOL_MAX?: number;
}

export interface RuntimeNeeds {
  /** Folder of the service's `NNN_name.sql` files (a URL from import.meta.url is fine). */
  readonly database?: { readonly migrations: string | URL };
  readonly redis?: boolean;
  readonly messaging?: boolean;
  /** Every replica hears every event, for cache invalidation (see broadcast.ts). */
  readonly broadcast?: boolean;
}

export interface BaseRuntime {
  readonly service: string;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly faults: Faults;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly readiness: ReadinessChecks;
  /** Starts consumers and the outbox relay, then listens. Call after routes and subscriptions exist. */
  // biome-ignore lint/suspicious/noExplicitAny: a service's router may carry its own Env on top of KitEnv.
  serve(app: OpenAPIHono<any>, opts?: Pick<AppOptions, 'description' | 'internalPaths'>): Promise<Running>;
  /** Closes everything this runtime opened (serve's shutdown does this on SIGTERM). */
  close(): Promise<void>;
}

export type Runtime<N extends RuntimeNeeds> = BaseRuntime &
  (N['database'] extends object ? { readonly db: Db } : unknown) &
  (N['redis'] extends true ? { readonly redis: Redis } : unknown) &
  (N['messaging'] extends true ? { readonly bus: Bus } : unknown) &
  (N['broadcast'] extends true ? { readonly broadcast: Broadcast } : unknown);

export interface RuntimeOptions<N extends RuntimeNeeds> {
  readonly service: string;
  readonly version?: string;
  readonly config: BaseConfig & DataConfig;
  readonly needs: N;
  /** Tests inject their own; otherwise JSON logs to stdout at LOG_LEVEL. */
  readonly log?: Logger;
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required by this service`);
  return value;
}

/**
 * Everything cross-cutting a service needs, from its parsed config, in one call: logger,
 * metrics, tracing, fault flags, Postgres (migrated), Redis, the event bus, readiness checks and
 * an orderly shutdown. `main.ts` builds a Runtime, hands its parts to `createApp`, then `serve`s.
 */
export async function createRuntime<const N extends RuntimeNeeds>(opts: RuntimeOptions<N>): Promise<Runtime<N>> {
  const { config, needs, service } = opts;
  const log = opts.log ?? createLogger({ service, level: config.LOG_LEVEL });
  const metrics = createMetrics({ service });
  const tracing = startTracing({ service, endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, version: opts.version });
  const faults = createFaults({ json: config.FAULTS, file: config.FAULTS_FILE });
  const readiness: ReadinessChecks = {};
  const closers: (() => Promise<void>)[] = [];
  const parts: { db?: Db; redis?: Redis; bus?: Bus; broadcast?: Broadcast } = {};

  if (needs.database) {
    const db = createDb({
      url: required(config.DATABASE_URL, 'DATABASE_URL'),
      schema: service.replaceAll('-', '_'),
      max: config.DB_POOL_MAX,
    });
    parts.db = db;
    readiness.postgres = () => db.ping();
    if (config.MIGRATE_ON_START !== false) {
      const dir = needs.database.migrations;
      const dirs = [typeof dir === 'string' ? dir : fileURLToPath(dir)];
      if (needs.messaging) dirs.unshift(busMigrationsDir);
      const result = await migrate(db, dirs);
      if (result.applied.length) log.info({ applied: result.applied }, 'migrations applied');
    }
  }
  if (needs.redis) {
    const redis = createRedis({ url: required(config.REDIS_URL, 'REDIS_URL'), prefix: config.REDIS_PREFIX ?? 'sf:' });
    parts.redis = redis;
    readiness.redis = () => pingRedis(redis);
    closers.push(async () => {
      redis.disconnect();
    });
  }
  if (needs.messaging) {
    if (!parts.db) throw new Error(`${service}: messaging needs a database (outbox and inbox live there)`);
    const bus = await connectBus({
      service,
      natsUrl: required(config.NATS_URL, 'NATS_URL'),
      prefix: config.EVENT_PREFIX ?? 'sf',
      db: parts.db,
      log,
      metrics,
      faults,
    });
    parts.bus = bus;
    readiness.nats = () => bus.ping();
    // Consumers stop before the pool closes, so in-flight handlers can still commit.
    closers.unshift(() => bus.close());
  }
  if (needs.broadcast) {
    const broadcast = await connectBroadcast({
      natsUrl: required(config.NATS_URL, 'NATS_URL'),
      prefix: config.EVENT_PREFIX ?? 'sf',
      log,
      name: `${service}-broadcast`,
    });
    parts.broadcast = broadcast;
    readiness.nats ??= () => broadcast.ping();
    closers.unshift(() => broadcast.close());
  }
  if (parts.db) {
    const db = parts.db;
    closers.push(() => db.close());
  }
  closers.push(() => tracing.shutdown());

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      for (const c of closers) await c().catch((err) => log.error({ err }, 'error while closing'));
    })();
    return closed;
  };

  const runtime: BaseRuntime & typeof parts = {
    service,
    log,
    metrics,
    faults,
    clock: () => new Date(),
    newId: () => newId(),
    readiness,
    ...parts,
    async serve(app, serveOpts) {
      await parts.bus?.start();
      return serve(app, {
        service,
        port: config.PORT,
        host: config.HOST,
        log,
        metrics,
        faults,
        bodyLimit: config.BODY_LIMIT,
        accessLog: { sampleRate: config.ACCESS_LOG_SAMPLE, slowMs: config.ACCESS_LOG_SLOW_MS },
        readiness,
        shutdownGraceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
        onShutdown: [close],
        ...(opts.version ? { version: opts.version } : {}),
        ...(serveOpts?.description ? { description: serveOpts.description } : {}),
        ...(serveOpts?.internalPaths ? { internalPaths: serveOpts.internalPaths } : {}),
      });
    },
    close,
  };
  return runtime as Runtime<N>;
}
