import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { Forbidden, Unauthorized } from '../errors.ts';
import type { KitVariables } from '../http/router.ts';
import { type Caller, callerFromClaims, csrfClaim } from './claims.ts';
import type { Role } from './roles.ts';
import { createVerifier, type Verifier, type VerifierOptions } from './verify.ts';

/** The Env of routes behind `authenticate`: `c.get('caller')` is the verified caller, if any. */
export type AuthVariables = KitVariables & { caller?: Caller };
export type AuthEnv = { Variables: AuthVariables };

/** Where the web app's access token travels in cookie mode, and the header that carries its CSRF token. */
export const ACCESS_COOKIE = 'sf_at';
export const CSRF_HEADER = 'x-csrf-token';

export type AuthenticateOptions = (VerifierOptions | { readonly verifier: Verifier }) & {
  /** Let anonymous requests through (caller unset); an invalid token is still refused. */
  readonly optional?: boolean;
  /** Cookie holding the access token in cookie mode (default `sf_at`); `false` accepts only the header. */
  readonly cookie?: string | false;
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const m = /^Bearer ([\w\-.~+/]+=*)$/i.exec(header.trim());
  if (!m?.[1]) throw new Unauthorized('send the access token as `Authorization: Bearer <token>`');
  return m[1];
}

/**
 * Verifies the access token (Authorization header, else the access cookie) and puts the caller in
 * the context. A cookie is sent by the browser on its own, so a state-changing request that is
 * authenticated by one must also carry the CSRF token whose hash the signed token holds.
 */
export function authenticate(opts: AuthenticateOptions): MiddlewareHandler<AuthEnv> {
  const verifier = 'verifier' in opts ? opts.verifier : createVerifier(opts);
  const cookieName = opts.cookie === false ? undefined : (opts.cookie ?? ACCESS_COOKIE);
  return async function authenticateMiddleware(c, next) {
    const fromHeader = bearer(c);
    const fromCookie = fromHeader ? undefined : cookieName ? getCookie(c, cookieName) : undefined;
    const token = fromHeader ?? fromCookie;
    if (!token) {
      if (opts.optional) return next();
      throw new Unauthorized('sign in first: this route needs an access token');
    }
    const claims = await verifier.verify(token);
    if (fromCookie && !SAFE.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !claims.csrf || csrfClaim(sent) !== claims.csrf) {
        throw new Forbidden(`a cookie-authenticated change needs the ${CSRF_HEADER} header`, {
          extensions: { code: 'csrf_failed' },
        });
      }
    }
    c.set('caller', callerFromClaims(claims));
    await next();
  };
}

/** The caller or 401; for handlers behind `authenticate({ optional: true })` or a require* guard. */
export function callerOf(c: Context<AuthEnv>): Caller {
  const caller = c.get('caller');
  if (!caller) throw new Unauthorized('sign in first: this route needs an access token');
  return caller;
}

export function requireCaller(): MiddlewareHandler<AuthEnv> {
  return async function requireCallerMiddleware(c, next) {
    callerOf(c);
    await next();
  };
}

/** 401 without a caller, 403 when the caller has none of `roles`. */
export function requireRole(...roles: readonly Role[]): MiddlewareHandler<AuthEnv> {
  if (roles.length === 0) throw new Error('requireRole needs at least one role');
  return async function requireRoleMiddleware(c, next) {
    const caller = callerOf(c);
    if (!caller.roles.some((r) => roles.includes(r))) {
      throw new Forbidden(`this route is for ${roles.join(' or ')}`);
    }
    await next();
  };
}

/** 401 without a caller, 403 unless this session signed in with a second factor. */
export function requireMfa(): MiddlewareHandler<AuthEnv> {
  return async function requireMfaMiddleware(c, next) {
    if (!callerOf(c).mfa)
      throw new Forbidden('this route needs a session signed in with MFA', { extensions: { code: 'mfa_required' } });
    await next();
  };
}
