import { type AuthEnv, createRouter, type Logger, type Verifier } from '@storefront/kit';
import type { Core } from './core.ts';
import { createGuards } from './guards.ts';
import { locationRoutes } from './routes-locations.ts';
import { posRoutes } from './routes-pos.ts';
import { publicRoutes } from './routes-public.ts';
import { reservationRoutes } from './routes-reservations.ts';
import { stockRoutes } from './routes-stock.ts';

export interface InventoryDeps extends Core {
  /** Checks staff access tokens (identity's JWKS in production). */
  readonly verifier: Verifier;
  /** Shared with the services that reserve stock and sync tills; see guards.ts. */
  readonly serviceToken: string;
  readonly log: Logger;
}

/**
 * Inventory's routes: public availability and locations; reservations for services (and staff);
 * stock operations for fulfillment staff; location edits for admins. Handlers parse (zod, in the
 * route), decide (domain*.ts), persist (the operation modules over store.ts), respond.
 */
export function createApp(deps: InventoryDeps) {
  const guards = createGuards({ verifier: deps.verifier, serviceToken: deps.serviceToken });
  const app = createRouter<AuthEnv>();
  app.route('/', publicRoutes(deps));
  app.route('/', reservationRoutes(deps, guards));
  app.route('/', stockRoutes(deps, guards));
  app.route('/', locationRoutes(deps, guards));
  app.route('/', posRoutes(deps, guards));
  return app;
}
