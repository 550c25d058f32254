import {
  authenticate,
  baseConfigShape,
  createDb,
  createRuntime,
  dataConfigShape,
  loadConfig,
  Unauthorized,
  z,
} from '@storefront/kit';
import { createApp } from '../../../services/catalog/src/app.ts';
import { createCatalogCache } from '../../../services/catalog/src/cache.ts';
import { invalidateOnEvents } from '../../../services/catalog/src/events.ts';

/**
 * The bench target for catalog-*: the catalog as main.ts builds it (Postgres, Redis, NATS, logs at
 * info) on a database of its own that persists between runs, because seeding 100k products takes
 * minutes (catalog-scenarios.ts seeds it once, in setup). CATALOG_CACHE=off replaces the
 * in-process + Redis cache with one that keeps nothing, to measure the Postgres path itself.
 */
export const BENCH_CATALOG_URL =
  process.env.BENCH_CATALOG_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_catalog';

const target = new URL(BENCH_CATALOG_URL);
const admin = createDb({
  url: process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  schema: 'public',
  max: 1,
});
const dbName = target.pathname.slice(1);
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`unexpected bench database name ${dbName}`);
if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount === 0) {
  await admin.query(`CREATE DATABASE ${dbName}`);
}
await admin.close();

const config = loadConfig(z.object({ ...baseConfigShape, ...dataConfigShape }), {
  ...process.env,
  HOST: '127.0.0.1',
  DATABASE_URL: BENCH_CATALOG_URL,
  EVENT_PREFIX: 'benchcatalog',
  REDIS_PREFIX: 'benchcatalog:',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
});
const rt = await createRuntime({
  service: 'catalog',
  config,
  needs: {
    database: { migrations: new URL('../../../services/catalog/migrations', import.meta.url) },
    redis: true,
    messaging: true,
    broadcast: true,
  },
});
const cached = process.env.CATALOG_CACHE !== 'off';
const cache = createCatalogCache(
  cached ? { redis: rt.redis, log: rt.log, metrics: rt.metrics } : { redis: null, log: rt.log, localTtlMs: 0 },
);
invalidateOnEvents(rt.broadcast, cache, rt.log);
const app = createApp({
  db: rt.db,
  outbox: rt.bus.outbox,
  cache,
  // The bench reads public routes only; staff routes refuse every token here.
  authenticate: authenticate({
    verifier: {
      verify: async () => {
        throw new Unauthorized('no staff in the bench');
      },
    },
  }),
  clock: rt.clock,
  newId: rt.newId,
  log: rt.log,
});
await rt.serve(app);
