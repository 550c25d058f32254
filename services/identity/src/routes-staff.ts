import {
  type AuthEnv,
  authenticate,
  callerOf,
  createRoute,
  createRouter,
  type Role,
  requireMfa,
  requireRole,
  z,
} from '@storefront/kit';
import type { Identity } from './context.ts';
import { liveSession } from './my-sessions.ts';
import { requestMeta } from './request-meta.ts';
import { AccountView, body, Email, IdParam, json, Roles } from './schemas.ts';
import { changeRoles, createStaff, resetMfa, revokeSessionsOf, rotateKeys } from './staff.ts';

const tags = ['staff'];

/** Staff administration; every route needs a staff role and a session signed in with MFA, and is audited. */
export function staffRoutes(idn: Identity) {
  const meta = (c: Parameters<typeof requestMeta>[0]) => requestMeta(c, idn.config.TRUSTED_PROXY_HOPS);
  const staff = (...roles: Role[]) => [
    authenticate({ verifier: idn.verifier }),
    liveSession(idn),
    requireRole(...roles),
    requireMfa(),
  ];
  const routes = {
    create: createRoute({
      method: 'post',
      path: '/staff',
      tags,
      summary: 'Invite a staff member (a set-password link is emailed)',
      middleware: staff('admin'),
      request: { body: body(z.object({ email: Email, roles: Roles })) },
      responses: { 201: json(AccountView, 'invited') },
    }),
    roles: createRoute({
      method: 'put',
      path: '/accounts/{id}/roles',
      tags,
      summary: "Replace an account's roles; its sessions end",
      middleware: staff('admin'),
      request: { params: IdParam, body: body(z.object({ roles: Roles })) },
      responses: { 200: json(AccountView, 'changed') },
    }),
    mfaReset: createRoute({
      method: 'post',
      path: '/accounts/{id}/mfa/reset',
      tags,
      summary: 'Turn off MFA for a staff member who lost their authenticator; they enrol again',
      middleware: staff('admin'),
      request: { params: IdParam },
      responses: { 204: { description: 'MFA off, sessions ended' } },
    }),
    revokeAll: createRoute({
      method: 'post',
      path: '/accounts/{id}/sessions/revoke',
      tags,
      summary: 'End every session of an account',
      middleware: staff('admin', 'support'),
      request: { params: IdParam },
      responses: { 200: json(z.object({ revoked: z.number().int() }), 'sessions ended') },
    }),
    rotate: createRoute({
      method: 'post',
      path: '/keys/rotate',
      tags,
      summary: 'New signing key (pre-published unless immediate); old keys stay in the JWKS until their tokens expire',
      middleware: staff('admin'),
      request: {
        body: {
          required: false,
          content: { 'application/json': { schema: z.object({ immediate: z.boolean().default(false) }) } },
        },
      },
      responses: { 200: json(z.object({ kid: z.string(), activatesAt: z.string() }), 'rotated') },
    }),
  };

  return createRouter<AuthEnv>()
    .openapi(routes.create, async (c) => c.json(await createStaff(idn, callerOf(c), c.req.valid('json'), meta(c)), 201))
    .openapi(routes.roles, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await changeRoles(idn, callerOf(c), id, c.req.valid('json').roles, meta(c)), 200);
    })
    .openapi(routes.mfaReset, async (c) => {
      await resetMfa(idn, callerOf(c), c.req.valid('param').id, meta(c));
      return c.body(null, 204);
    })
    .openapi(routes.revokeAll, async (c) => {
      const revoked = await revokeSessionsOf(idn, callerOf(c), c.req.valid('param').id, meta(c));
      return c.json({ revoked }, 200);
    })
    .openapi(routes.rotate, async (c) => {
      const immediate = c.req.header('content-type')?.includes('json')
        ? (c.req.valid('json')?.immediate ?? false)
        : false;
      const key = await rotateKeys(idn, callerOf(c), immediate, meta(c));
      return c.json({ kid: key.kid, activatesAt: key.activatesAt.toISOString() }, 200);
    });
}
