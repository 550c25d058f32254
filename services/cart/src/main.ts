import { createRuntime, createVerifier, loadConfig } from '@storefront/kit';
import { createApp } from './app.ts';
import { createCartCache } from './cart-cache.ts';
import { cachedCatalog, httpCatalog } from './catalog-client.ts';
import { cartConfig, upstreamsOf } from './config.ts';
import { invalidateOnEvents } from './events.ts';
import { httpInventory } from './inventory-client.ts';
import { createPromotionSource } from './promotion-source.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(cartConfig);
const urls = upstreamsOf(config, Boolean(process.env.JWKS_URL));

const rt = await createRuntime({
  service: 'cart',
  config,
  needs: {
    database: { migrations: new URL('../migrations', import.meta.url) },
    redis: true,
    messaging: true,
    broadcast: true,
  },
});
// Redis is only a read cache here: without it carts are read from Postgres, so it must not take
// every replica out of the load balancer.
delete rt.readiness.redis;

const timeoutMs = config.UPSTREAM_TIMEOUT_MS;
const catalog = cachedCatalog(httpCatalog({ baseUrl: urls.catalog, timeoutMs }), {
  ttlMs: config.CATALOG_CACHE_TTL_MS,
});
invalidateOnEvents(rt.broadcast, catalog, rt.log);

const app = createApp({
  db: rt.db,
  outbox: rt.bus.outbox,
  cache: createCartCache({ redis: rt.redis, log: rt.log, ttlMs: config.CART_CACHE_TTL_MS }),
  catalog,
  inventory: httpInventory({ baseUrl: urls.inventory, timeoutMs }),
  promotions: createPromotionSource({ db: rt.db, ttlMs: config.PROMOTIONS_CACHE_TTL_MS }),
  verifier: createVerifier({ jwks: urls.jwks, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
  serviceToken: config.ADMIN_TOKEN,
  limits: { maxLineQuantity: config.MAX_LINE_QUANTITY, maxLines: config.MAX_LINES },
  shipping: config.SHIPPING_OPTIONS,
  tax: config.TAX_RATES,
  clock: rt.clock,
  newId: rt.newId,
  log: rt.log,
});

rt.log.info({ upstreams: urls }, 'cart upstreams');
await rt.serve(app, {
  description: 'Guest and customer carts, merge on sign-in, promotions, shipping, tax and totals.',
});
