import type { Clock, IdFactory } from '@storefront/contracts';
import {
  type AuthEnv,
  authenticate,
  createRouter,
  type Db,
  type Logger,
  type Outbox,
  type Verifier,
} from '@storefront/kit';
import type { CartCache } from './cart-cache.ts';
import type { CatalogClient } from './catalog-client.ts';
import type { CartLimits } from './domain.ts';
import type { InventoryClient } from './inventory-client.ts';
import type { PromotionSource } from './promotion-source.ts';
import type { ShippingTable, TaxTable } from './rates.ts';
import { cartRoutes } from './routes-carts.ts';
import { checkoutRoutes } from './routes-checkout.ts';
import { lineRoutes } from './routes-lines.ts';
import { mergeRoutes } from './routes-merge.ts';
import { promotionAdminRoutes } from './routes-promotions.ts';
import { redemptionRoutes } from './routes-redemptions.ts';

export interface CartDeps {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly cache: CartCache;
  readonly catalog: CatalogClient;
  readonly inventory: InventoryClient;
  readonly promotions: PromotionSource;
  /** Verifies identity's access tokens (customers, staff). */
  readonly verifier: Verifier;
  /** Shared secret of the service-to-service routes (redeem, release) until services get credentials. */
  readonly serviceToken: string;
  readonly limits: CartLimits;
  readonly shipping: ShippingTable;
  readonly tax: TaxTable;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
}

/**
 * The cart's routes. Shoppers' routes see an optional caller (a guest cart needs none, its
 * token instead); staff promotion routes need merchandiser or admin; redemption is for the
 * checkout (orders) with the service token. Handlers parse (zod, in the route), decide (domain),
 * persist (store), respond.
 */
export function createApp(deps: CartDeps) {
  const app = createRouter<AuthEnv>();
  // Every answer here is someone's cart or staff data: no shared cache (gateway, CDN) may keep it.
  app.use('*', async function noStore(c, next) {
    await next();
    c.header('cache-control', 'private, no-store');
  });
  app.use('/carts/*', authenticate({ verifier: deps.verifier, optional: true }));
  app.use('/carts', authenticate({ verifier: deps.verifier, optional: true }));
  app.route('/', mergeRoutes(deps));
  app.route('/', cartRoutes(deps));
  app.route('/', lineRoutes(deps));
  app.route('/', checkoutRoutes(deps));
  app.route('/admin', promotionAdminRoutes(deps));
  app.route('/', redemptionRoutes(deps));
  return app;
}
