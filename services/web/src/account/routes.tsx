import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { authRoutes } from './auth.tsx';
import { orderRoutes } from './orders.tsx';
import { overviewRoutes } from './overview.tsx';
import { sessionRoutes } from './sessions.tsx';
import { requireSignIn } from './shared.tsx';

/** Pages a signed-out visitor may open; everything else in /account needs a session. */
const PUBLIC =
  /^\/account\/(sign-up|sign-in|sign-out|verify|verify-email|forgot|reset|reset-password|mfa\/enrol|welcome)(\/|$)/;

/** The account pages, mounted at /account. */
export function accountRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const guard = requireSignIn();
  app.use('*', async (c, next) => (PUBLIC.test(c.req.path) ? next() : guard(c, next)));
  app.route('/', authRoutes());
  app.route('/', overviewRoutes());
  app.route('/', orderRoutes());
  app.route('/', sessionRoutes());
  return app;
}
