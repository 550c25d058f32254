import type { Clock, IdFactory } from '@storefront/contracts';
import {
  type AuthEnv,
  createRouter,
  type Db,
  type Logger,
  type Outbox,
  requireMfa,
  requireRole,
} from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';
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
  /** Verifies the caller's access token (identity's JWKS in production, a test key in tests). */
  readonly authenticate: MiddlewareHandler<AuthEnv>;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
}

/**
 * The catalog's routes: public reads and reviews at the root, staff edits under /admin for
 * merchandisers and admins signed in with MFA (the gateway checks the same; this is defence in depth). Handlers parse (zod, in the route), decide (domain.ts), persist (store.ts), respond.
 */
export function createApp(deps: CatalogDeps) {
  const app = createRouter();
  app.route('/', publicRoutes(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', skuRoutes(deps));
  const admin = createRouter<AuthEnv>();
  admin.use('*', deps.authenticate, requireRole('merchandiser', 'admin'), requireMfa());
  admin.route('/', adminProductRoutes(deps));
  admin.route('/', adminTaxonomyRoutes(deps));
  app.route('/admin', admin);
  return app;
}
