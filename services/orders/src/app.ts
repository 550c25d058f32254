import { type AuthEnv, authenticate, createRouter, type Verifier } from '@storefront/kit';
import type { CartClient } from './cart-client.ts';
import type { Core } from './core.ts';
import { checkoutRoutes } from './routes-checkout.ts';
import { orderRoutes } from './routes-orders.ts';
import { refundRoutes } from './routes-refunds.ts';
import { returnRoutes } from './routes-returns.ts';
import { staffRoutes } from './routes-staff.ts';

export interface OrdersDeps extends Core {
  readonly verifier: Verifier;
  readonly cart: CartClient;
  /** Derives guests' order tokens (HMAC of the order id). */
  readonly orderTokenSecret: string;
}

/**
 * Orders' routes: checkout (guests and customers), order history, staff management and returns.
 * The token is optional at the edge (guests check out and read with their order token); each
 * route that needs a caller or a role says so.
 */
export function createApp(deps: OrdersDeps) {
  const app = createRouter<AuthEnv>();
  app.use('*', authenticate({ verifier: deps.verifier, optional: true }));
  app.route('/', checkoutRoutes(deps));
  app.route('/', orderRoutes(deps));
  app.route('/', staffRoutes(deps));
  app.route('/', refundRoutes(deps));
  app.route('/', returnRoutes(deps));
  return app;
}
