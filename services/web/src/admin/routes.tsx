import { STAFF_ROLES } from '@storefront/kit';
import { Hono } from 'hono';
import type { WebEnv } from '../env.ts';
import { errorPage } from '../errors.tsx';
import { catalogAdmin } from './catalog.tsx';
import { opsAdmin } from './ops.tsx';

/**
 * The admin console. Only staff signed in with MFA get past this guard; the gateway and each
 * service check role and MFA again on every API call, so the guard is about a clear page, not trust.
 */
export function adminRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('*', async (c, next) => {
    const viewer = c.get('viewer');
    if (!viewer) {
      const next_ = c.req.method === 'GET' ? c.req.path : '/admin';
      return c.redirect(`/account/sign-in?next=${encodeURIComponent(next_)}`, 303);
    }
    if (!viewer.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r))) {
      return errorPage(c, { status: 403, title: 'Staff only', message: 'The admin console is for staff accounts.' });
    }
    if (!viewer.mfa) {
      return errorPage(c, {
        status: 403,
        title: 'Two-factor sign-in needed',
        message: 'Sign out and sign in again with your authenticator code to use the admin console.',
      });
    }
    await next();
  });
  app.route('/', catalogAdmin());
  app.route('/', opsAdmin());
  return app;
}
