import { type AuthEnv, createRouter, type Verifier } from '@storefront/kit';
import type { Core } from './core.ts';
import { shipmentRoutes } from './routes-shipments.ts';
import { webhookRoutes } from './routes-webhooks.ts';

export interface FulfillmentDeps extends Core {
  /** Checks access tokens (identity's JWKS in production). */
  readonly verifier: Verifier;
}

/** Fulfillment's routes: shipment reads for customers and staff, and carrier webhooks. */
export function createApp(deps: FulfillmentDeps) {
  const app = createRouter<AuthEnv>();
  app.route('/', shipmentRoutes(deps, deps.verifier));
  app.route('/', webhookRoutes(deps));
  return app;
}
