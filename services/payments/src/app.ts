import type { Clock, IdFactory } from '@storefront/contracts';
import { type AuthEnv, createRouter, type Db, type Logger, type Outbox, type Verifier } from '@storefront/kit';
import type { Providers } from './provider.ts';
import { ledgerRoutes } from './routes-ledger.ts';
import { paymentRoutes } from './routes-payments.ts';
import { sandboxRoutes } from './routes-sandbox.ts';
import { webhookRoutes } from './routes-webhooks.ts';
import type { Sandbox } from './sandbox/sandbox.ts';

export interface PaymentsDeps {
  readonly db: Db;
  readonly outbox: Outbox;
  /** The enabled providers; the sandbox's routes exist only when `sandbox` is given. */
  readonly providers: Providers;
  readonly sandbox?: Sandbox | undefined;
  /** Checks access tokens (identity's JWKS in production). */
  readonly verifier: Verifier;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
}

/**
 * Payments' routes: reads for customers and staff, the ledger check for staff, the providers'
 * webhooks, and the sandbox's browser-side endpoints. Commands arrive by events (events.ts).
 */
export function createApp(deps: PaymentsDeps) {
  const app = createRouter<AuthEnv>();
  app.route('/', paymentRoutes(deps));
  app.route('/', ledgerRoutes(deps));
  app.route('/', webhookRoutes(deps));
  if (deps.sandbox) app.route('/', sandboxRoutes(deps.sandbox));
  return app;
}
