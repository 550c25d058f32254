import type { BaseRuntime, Broadcast, Bus, Db, Redis } from '@storefront/kit';
import { createVerifier } from '@storefront/kit';
import { createApp } from './app.ts';
import { createCartCache } from './cart-cache.ts';
import { cachedCatalog, httpCatalog } from './catalog-client.ts';
import type { CartConfig } from './config.ts';
import { invalidateOnEvents } from './events.ts';
import { httpInventory } from './inventory-client.ts';
import { subscribeOrderEvents } from './order-events.ts';
import { createPromotionSource } from './promotion-source.ts';

type CartRuntime = BaseRuntime & { db: Db; redis: Redis; bus: Bus; broadcast: Broadcast };

/**
 * The cart's parts from a runtime and its config: what main.ts serves, and what the benchmark
 * target serves, so the bench measures the production wiring.
 */
export function wireCart(
  rt: CartRuntime,
  config: CartConfig,
  urls: { catalog: string; inventory: string; jwks: string },
) {
  const timeoutMs = config.UPSTREAM_TIMEOUT_MS;
  const catalog = cachedCatalog(httpCatalog({ baseUrl: urls.catalog, timeoutMs }), {
    ttlMs: config.CATALOG_CACHE_TTL_MS,
  });
  invalidateOnEvents(rt.broadcast, catalog, rt.log);
  const cache = createCartCache({ redis: rt.redis, log: rt.log, ttlMs: config.CART_CACHE_TTL_MS });
  subscribeOrderEvents(rt.bus, { cache, clock: rt.clock });
  return createApp({
    db: rt.db,
    outbox: rt.bus.outbox,
    cache,
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
}

export const CART_NEEDS = {
  database: { migrations: new URL('../migrations', import.meta.url) },
  redis: true,
  messaging: true,
  broadcast: true,
} as const;
