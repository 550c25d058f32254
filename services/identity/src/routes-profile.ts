import { type AuthEnv, authenticate, callerOf, createRoute, createRouter, NotFound, z } from '@storefront/kit';
import type { Identity } from './context.ts';
import { liveSession } from './my-sessions.ts';
import { updateProfile } from './profile.ts';
import { requestMeta } from './request-meta.ts';
import { AccountView, body, DisplayName, json } from './schemas.ts';
import { findAccount } from './store.ts';

const tags = ['profile'];
const Me = AccountView.extend({
  displayName: z.string().nullable().openapi({ description: 'the name to greet them by; null when none was given' }),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
  mfa: z.boolean(),
}).openapi('Me');

/** The signed-in account: read it, change the display name. */
export function profileRoutes(idn: Identity) {
  const signedIn = [authenticate({ verifier: idn.verifier }), liveSession(idn)];
  const routes = {
    me: createRoute({
      method: 'get',
      path: '/me',
      tags,
      summary: 'The signed-in account',
      middleware: signedIn,
      responses: { 200: json(Me, 'me') },
    }),
    update: createRoute({
      method: 'patch',
      path: '/me',
      tags,
      summary: 'Change my display name (null or an empty string clears it)',
      description:
        'Trimmed, at most 80 characters, no control or bidirectional-override characters (else 422). Audited as ' +
        '`profile.update` (which fields changed, not their values).',
      middleware: signedIn,
      request: { body: body(z.object({ displayName: DisplayName.nullable() }).strict()) },
      responses: { 200: json(Me, 'me, changed') },
    }),
  };
  const me = async (id: string, mfa: boolean) => {
    const a = await findAccount(idn.db, id);
    if (!a) throw new NotFound('no such account');
    return {
      id: a.id,
      email: a.email,
      roles: a.roles,
      displayName: a.displayName,
      emailVerified: a.emailVerifiedAt !== null,
      mfaEnabled: a.mfaEnabledAt !== null,
      mfa,
    };
  };

  return createRouter<AuthEnv>()
    .openapi(routes.me, async (c) => {
      const caller = callerOf(c);
      return c.json(await me(caller.id, caller.mfa), 200);
    })
    .openapi(routes.update, async (c) => {
      const caller = callerOf(c);
      const { displayName } = c.req.valid('json');
      await updateProfile(idn, caller, { displayName }, requestMeta(c, idn.config.TRUSTED_PROXY_HOPS));
      return c.json(await me(caller.id, caller.mfa), 200);
    });
}
