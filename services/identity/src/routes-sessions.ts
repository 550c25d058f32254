import {
  type AuthEnv,
  authenticate,
  CSRF_HEADER,
  callerOf,
  createRoute,
  createRouter,
  NotFound,
  Unauthorized,
  z,
} from '@storefront/kit';
import type { Identity } from './context.ts';
import { clearSessionCookies, refreshCookie } from './cookies.ts';
import { liveSession, logout, revokeOtherOwnSessions, revokeOwnSession, sessionView } from './my-sessions.ts';
import { requestMeta } from './request-meta.ts';
import { tokenBody } from './respond.ts';
import { IdParam, json, SecretToken, SessionView, TokenResponse } from './schemas.ts';
import { refreshSession } from './sessions.ts';
import { findOwnSession, listSessions } from './store.ts';

const tags = ['sessions'];

/** Refresh, logout and the caller's own sessions (list, one, end one, end all the others). */
export function sessionRoutes(idn: Identity) {
  const meta = (c: Parameters<typeof requestMeta>[0]) => requestMeta(c, idn.config.TRUSTED_PROXY_HOPS);
  const signedIn = [authenticate({ verifier: idn.verifier }), liveSession(idn)];
  const routes = {
    refresh: createRoute({
      method: 'post',
      path: '/token/refresh',
      tags,
      summary: 'Rotate a refresh token (body, or the refresh cookie plus X-CSRF-Token); reuse revokes the session',
      request: {
        body: { required: false, content: { 'application/json': { schema: z.object({ refreshToken: SecretToken }) } } },
      },
      responses: { 200: json(TokenResponse, 'new tokens') },
    }),
    logout: createRoute({
      method: 'post',
      path: '/logout',
      tags,
      summary: 'End the current session (access token, refresh token or cookies)',
      middleware: [authenticate({ verifier: idn.verifier, optional: true })],
      request: {
        body: {
          required: false,
          content: { 'application/json': { schema: z.object({ refreshToken: SecretToken.optional() }) } },
        },
      },
      responses: { 204: { description: 'signed out' } },
    }),
    list: createRoute({
      method: 'get',
      path: '/sessions',
      tags,
      summary: 'My live sessions',
      middleware: signedIn,
      responses: { 200: json(z.object({ items: z.array(SessionView) }), 'sessions, newest first') },
    }),
    get: createRoute({
      method: 'get',
      path: '/sessions/{id}',
      tags,
      summary: 'One of my sessions',
      middleware: signedIn,
      request: { params: IdParam },
      responses: { 200: json(SessionView, 'the session') },
    }),
    revokeOthers: createRoute({
      method: 'post',
      path: '/sessions/revoke-others',
      tags,
      summary: 'Sign out everywhere else: end every other session of mine (this one stays; /logout ends it)',
      description: 'No body. Audited as `session.revoke-others` (how many, which one was kept).',
      middleware: signedIn,
      responses: { 200: json(z.object({ revoked: z.number().int() }), 'how many other sessions ended') },
    }),
    revoke: createRoute({
      method: 'delete',
      path: '/sessions/{id}',
      tags,
      summary: 'End one of my sessions',
      middleware: signedIn,
      request: { params: IdParam },
      responses: { 204: { description: 'ended' } },
    }),
  };

  return createRouter<AuthEnv>()
    .openapi(routes.refresh, async (c) => {
      const fromBody = c.req.header('content-type')?.includes('json') ? c.req.valid('json')?.refreshToken : undefined;
      const fromCookie = fromBody ? undefined : refreshCookie(c);
      const raw = fromBody ?? fromCookie;
      if (!raw) throw new Unauthorized('send the refresh token');
      const tokens = await refreshSession(idn, raw, meta(c), {
        fromCookie: raw === fromCookie,
        header: c.req.header(CSRF_HEADER),
      });
      return c.json(tokenBody(c, idn.config, tokens, idn.clock()), 200);
    })
    .openapi(routes.logout, async (c) => {
      const fromBody = c.req.header('content-type')?.includes('json') ? c.req.valid('json')?.refreshToken : undefined;
      const fromCookie = fromBody ? undefined : refreshCookie(c);
      await logout(
        idn,
        {
          caller: c.get('caller'),
          refreshToken: fromBody ?? fromCookie,
          fromCookie: !fromBody && fromCookie !== undefined,
          csrfHeader: c.req.header(CSRF_HEADER),
        },
        meta(c),
      );
      clearSessionCookies(c, idn.config);
      return c.body(null, 204);
    })
    .openapi(routes.list, async (c) => {
      const caller = callerOf(c);
      const items = await listSessions(idn.db, caller.id, idn.clock());
      return c.json({ items: items.map((s) => sessionView(s, caller.sessionId)) }, 200);
    })
    .openapi(routes.get, async (c) => {
      const caller = callerOf(c);
      const s = await findOwnSession(idn.db, c.req.valid('param').id, caller.id);
      if (!s) throw new NotFound('no such session');
      return c.json(sessionView(s, caller.sessionId), 200);
    })
    .openapi(routes.revokeOthers, async (c) => {
      return c.json({ revoked: await revokeOtherOwnSessions(idn, callerOf(c), meta(c)) }, 200);
    })
    .openapi(routes.revoke, async (c) => {
      await revokeOwnSession(idn, callerOf(c), c.req.valid('param').id, meta(c));
      return c.body(null, 204);
    });
}
