import { randomBytes } from 'node:crypto';
import { createRouter, type Verifier } from '@storefront/kit';
import { accountRoutes } from './account/routes.tsx';
import { adminRoutes } from './admin/routes.tsx';
import { ApiClient } from './api.ts';
import { loadAssets, mountAssets } from './assets.ts';
import type { WebConfig } from './config.ts';
import type { WebEnv } from './env.ts';
import { errorPage, notFoundPage, renderError } from './errors.tsx';
import { session } from './session.ts';
import { shopRoutes } from './shop/routes.tsx';
import { BadInput } from './validate.ts';

export interface WebDeps {
  readonly config: WebConfig;
  readonly verifier: Verifier;
  /** Tests bring a fetch that answers for the gateway. */
  readonly fetch?: typeof fetch;
}

/**
 * The web shop and admin console: server-rendered pages built from the public API through the
 * gateway. Pages work without script; public/app.js only adds suggestions, session refresh and
 * confirmations.
 */
export function createApp(deps: WebDeps) {
  const app = createRouter<WebEnv>();
  const api = new ApiClient({
    baseUrl: deps.config.UPSTREAM_GATEWAY_URL,
    timeoutMs: deps.config.API_TIMEOUT_MS,
    serviceToken: deps.config.ADMIN_TOKEN,
    fetch: deps.fetch,
  });
  mountAssets(app, loadAssets(), deps.config.SHOP_NAME);

  app.use('*', async (c, next) => {
    // The gateway puts this response's CSP nonce here; straight to web (a test, a bench) gets its own.
    const nonce = c.req.header('x-csp-nonce');
    c.set('nonce', nonce && /^[\w+/=-]{8,64}$/.test(nonce) ? nonce : randomBytes(16).toString('base64'));
    c.set('api', api);
    c.set('config', deps.config);
    c.set('viewer', undefined);
    c.set('sessionExpired', false);
    c.set('csrf', '');
    await next();
  });
  app.use('*', session({ verifier: deps.verifier, secureCookies: deps.config.COOKIE_SECURE }));

  app.route('/', shopRoutes());
  app.route('/account', accountRoutes());
  app.route('/admin', adminRoutes());
  app.all('*', (c) => notFoundPage(c));

  app.onError((err, c) => {
    if (err instanceof BadInput) {
      // Names of the parameters only: the schema's wording is for developers, and what was sent
      // is not echoed back. "Try again" is the same page without the query.
      const which = err.fields.length > 0 ? ` (${err.fields.slice(0, 5).join(', ')})` : '';
      const own = err.explanations.slice(0, 3).join(' ');
      return errorPage(c, {
        status: 400,
        title: 'That link is not right',
        message: `${own || `Part of this address is not one we understand${which}.`} Open the page without it, or go back and try another link.`,
        retry: c.req.path,
      });
    }
    return renderError(err, c);
  });
  return app;
}
