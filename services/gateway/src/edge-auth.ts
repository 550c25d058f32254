import {
  ACCESS_COOKIE,
  type AuthEnv,
  authenticate,
  Forbidden,
  NotFound,
  Unauthorized,
  type Verifier,
} from '@storefront/kit';
import type { Context, MiddlewareHandler } from 'hono';
import { parseApiPath, splitUrl } from './domain.ts';
import type { GatewayEnv } from './gateway-env.ts';
import { type Access, accessFor, decide, type Verdict } from './policy.ts';

export interface EdgeAuthOptions {
  /** One verifier for the process: it caches verified tokens until they expire. */
  readonly verifier: Verifier;
  /** The route policy; policy.ts's table unless a test brings its own. */
  readonly accessFor?: (service: string, method: string, path: string) => Access;
}

function refusal(verdict: Exclude<Verdict, 'allow'>, access: Access, c: Context): Error {
  switch (verdict) {
    case 'not-found':
      return new NotFound(`no route for ${c.req.method} ${c.req.path}`);
    case 'sign-in':
      return new Unauthorized('sign in first: this route needs an access token');
    case 'wrong-role':
      return new Forbidden(`this route is for ${access.kind === 'staff' ? access.roles.join(' or ') : 'staff'}`);
    case 'mfa-required':
      return new Forbidden('this route needs a session signed in with MFA', { extensions: { code: 'mfa_required' } });
  }
}

/**
 * Verifies the caller's access token (header, or the web app's cookie with its CSRF check) with
 * the kit's `authenticate`, then applies the route policy before anything goes upstream.
 *
 * A bad token only matters where the policy needs a caller: on public routes the request goes on
 * as anonymous and the service, which sees the same Authorization and cookies, decides. So an
 * expired cookie never blocks browsing, signing in or refreshing, and identity being unreachable
 * never blocks the catalog. The verified caller is left in the context for the rate limiter.
 */
export function edgeAuth(opts: EdgeAuthOptions): MiddlewareHandler<GatewayEnv> {
  const identify = authenticate({ verifier: opts.verifier, optional: true, cookie: ACCESS_COOKIE });
  const policy = opts.accessFor ?? accessFor;
  const noop = async () => {};
  return async function edgeAuthMiddleware(c, next) {
    const target = parseApiPath(splitUrl(c.req.url).path);
    if (!target) return next();
    const access = policy(target.service, c.req.method, target.rest);
    if (access.kind === 'internal') throw refusal('not-found', access, c);
    let failure: unknown;
    try {
      // `next` is a no-op: only the token checks run here, never the rest of the chain.
      await identify(c as unknown as Context<AuthEnv>, noop);
    } catch (err) {
      failure = err;
    }
    const verdict = decide(access, c.get('caller'));
    if (verdict === 'allow') return next();
    // A token that was sent but failed says more than "sign in": expired, forged, CSRF, keys unreachable.
    throw failure ?? refusal(verdict, access, c);
  };
}
