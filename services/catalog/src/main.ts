import {
  authConfigShape,
  authenticate,
  baseConfigShape,
  createRuntime,
  dataConfigShape,
  env,
  loadConfig,
  startRetention,
  z,
} from '@storefront/kit';
import { createApp } from './app.ts';
import { createCatalogCache } from './cache.ts';
import { consumeStock, invalidateOnEvents } from './events.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(
  z.object({
    ...baseConfigShape,
    ...dataConfigShape,
    ...authConfigShape,
    PORT: env.port(8083),
    /** Redis TTL of cached products; events invalidate sooner, this bounds a missed event. */
    CACHE_PRODUCT_TTL_MS: env.int(60_000, 1_000, 3_600_000),
    /** Redis TTL of cached searches, listings, the category tree and brands. */
    CACHE_LIST_TTL_MS: env.int(30_000, 1_000, 3_600_000),
  }),
);

const rt = await createRuntime({
  service: 'catalog',
  config,
  needs: {
    database: { migrations: new URL('../migrations', import.meta.url) },
    redis: true,
    messaging: true,
    broadcast: true,
  },
});

const cache = createCatalogCache({
  redis: rt.redis,
  log: rt.log,
  metrics: rt.metrics,
  productTtlMs: config.CACHE_PRODUCT_TTL_MS,
  listTtlMs: config.CACHE_LIST_TTL_MS,
});
invalidateOnEvents(rt.broadcast, cache, rt.log);
consumeStock(rt.bus, rt.bus.outbox, rt.clock);
startRetention(rt, config);

const app = createApp({
  db: rt.db,
  outbox: rt.bus.outbox,
  cache,
  authenticate: authenticate({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
  clock: rt.clock,
  newId: rt.newId,
  log: rt.log,
});

await rt.serve(app, { description: 'Products, variants, prices, categories, brands, reviews and faceted search.' });
