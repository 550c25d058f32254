import type { Clock, IdFactory } from '@storefront/contracts';
import { createRouter, type Db, type Logger, type Outbox } from '@storefront/kit';
import { requireAdminToken } from './admin-token.ts';
import type { CatalogCache } from './cache.ts';
import { adminProductRoutes } from './routes-admin-products.ts';
import { adminTaxonomyRoutes } from './routes-admin-taxonomy.ts';
import { publicRoutes } from './routes-public.ts';
import { reviewRoutes } from './routes-reviews.ts';
import { skuRoutes } from './routes-skus.ts';

export interface CatalogDeps {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly cache: CatalogCache;
  /** Staff routes until identity exists (see requireAdminToken). */
  readonly adminToken: string;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
}

/**
 * The catalog's routes: public reads and reviews at the root, staff edits under /admin behind the
 * admin token. Handlers parse (zod, in the route), decide (domain.ts), persist (store.ts), respond.
 */
export function createApp(deps: CatalogDeps) {
  const app = createRouter();
  app.route('/', publicRoutes(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', skuRoutes(deps));
  const admin = createRouter();
  admin.use('*', requireAdminToken(deps.adminToken));
  admin.route('/', adminProductRoutes(deps));
  admin.route('/', adminTaxonomyRoutes(deps));
  app.route('/admin', admin);
  return app;
}
