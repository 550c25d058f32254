import { fileURLToPath } from 'node:url';
import { newId } from '@storefront/contracts';
import {
  authenticate,
  type Bus,
  buildApp,
  busMigrationsDir,
  connectBus,
  createMetrics,
  createRedis,
  type Db,
  migrate,
  type Redis,
} from '@storefront/kit';
import { silentLog, testAuth, testDb, testEnv, testEventPrefix, testRedisPrefix } from '@storefront/kit/testing';
import { type CatalogDeps, createApp } from './app.ts';
import { type CacheOptions, createCatalogCache } from './cache.ts';

/**
 * The catalog as its tests run it: a fresh schema migrated like production (kit bus tables plus
 * ours), the real outbox, Redis under a private prefix, and the app built by the kit in memory.
 * Nothing here is a fake; events land in the schema's outbox table, where tests read them.
 */
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface TestCatalog {
  readonly app: ReturnType<typeof buildApp>['app'];
  readonly db: Db;
  readonly bus: Bus;
  readonly redis: Redis;
  readonly deps: CatalogDeps;
  readonly eventPrefix: string;
  /** Events recorded in the outbox so far, oldest first. */
  events(subject?: string): Promise<{ subject: string; payload: Record<string, unknown> }[]>;
  /** A staff request; the token defaults to a merchandiser's with MFA. */
  admin(method: string, path: string, body?: unknown, token?: string | null): Promise<Response>;
  /** Signers for other callers (a customer, staff without MFA). */
  readonly auth: Awaited<ReturnType<typeof testAuth>>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function migratedCatalogDb(): Promise<Db & { drop(): Promise<void> }> {
  const db = testDb('cat');
  await migrate(db, [busMigrationsDir, migrationsDir]);
  return db;
}

export async function testCatalog(
  opts: { db?: Db; redis?: Redis; cache?: Partial<CacheOptions> } = {},
): Promise<TestCatalog> {
  const owned = opts.db ? null : await migratedCatalogDb();
  const db = opts.db ?? (owned as Db);
  const log = silentLog();
  const eventPrefix = testEventPrefix();
  const bus = await connectBus({
    service: 'catalog',
    natsUrl: testEnv().natsUrl,
    prefix: eventPrefix,
    db,
    log,
    metrics: createMetrics({ service: 'catalog', runtime: false }),
    relayPollMs: 100,
    shutdownGraceMs: 1_000,
  });
  const redis = opts.redis ?? createRedis({ url: testEnv().redisUrl, prefix: testRedisPrefix() });
  const cache = createCatalogCache({ redis, log, ...opts.cache });
  const auth = await testAuth();
  const staffToken = await auth.staffToken(['merchandiser']);
  const deps: CatalogDeps = {
    db,
    outbox: bus.outbox,
    cache,
    authenticate: authenticate({ verifier: auth.verifier }),
    clock: () => new Date(),
    newId: () => newId(),
    log,
  };
  const { app } = buildApp(createApp(deps), { service: 'catalog', log });
  return {
    app,
    db,
    bus,
    redis,
    deps,
    eventPrefix,
    async events(subject) {
      const { rows } = await db.query<{ subject: string; payload: Record<string, unknown> }>(
        `SELECT subject, payload FROM outbox WHERE $1::text IS NULL OR subject = $1 ORDER BY seq`,
        [subject ?? null],
      );
      return rows;
    },
    auth,
    async admin(method, path, body, token = staffToken) {
      return app.request(`/admin${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
    get: async (path) => app.request(path),
    async close() {
      await bus.close();
      if (!opts.redis) redis.disconnect();
      await owned?.drop();
    },
  };
}
