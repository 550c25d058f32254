import { createRoute, createRouter, z } from '@storefront/kit';
import { buildIdentity, type Identity, type IdentityDeps } from './context.ts';
import { accountRoutes } from './routes-accounts.ts';
import { auditRoutes } from './routes-audit.ts';
import { authRoutes } from './routes-auth.ts';
import { profileRoutes } from './routes-profile.ts';
import { sessionRoutes } from './routes-sessions.ts';
import { staffRoutes } from './routes-staff.ts';

export type { IdentityDeps } from './context.ts';

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['keys'],
  summary: 'Public keys that verify access tokens (ES256), including pre-published and recently retired ones',
  responses: {
    200: {
      description: 'RFC 7517 key set',
      content: { 'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) } },
    },
  },
});

/** Identity's routes. Call `identity.keys.ensure()` before serving (main.ts does). */
export function createApp(deps: IdentityDeps): { app: ReturnType<typeof createRouter>; identity: Identity } {
  const identity = buildIdentity(deps);
  const app = createRouter();
  app.openapi(jwksRoute, async (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(await identity.keys.jwks(), 200);
  });
  app.route('/', authRoutes(identity));
  app.route('/', sessionRoutes(identity));
  app.route('/', profileRoutes(identity));
  app.route('/', staffRoutes(identity));
  app.route('/', auditRoutes(identity));
  app.route('/', accountRoutes(identity));
  return { app, identity };
}
