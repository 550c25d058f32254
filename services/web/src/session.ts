import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ACCESS_COOKIE, callerFromClaims, csrfClaim, type Verifier } from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { GUEST_CSRF_COOKIE, SESSION_CSRF_COOKIE } from './api.ts';
import type { WebEnv } from './env.ts';

/** The hidden field every form carries. */
export const CSRF_FIELD = '_csrf';

/** A form whose CSRF field does not match: the page says so and asks to try again (never a 500). */
export class CsrfRejected extends Error {
  constructor() {
    super('the form CSRF token does not match this session');
    this.name = 'CsrfRejected';
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** When the signed-in viewer's access token expires (epoch seconds), per request. */
const expiries = new WeakMap<object, number>();

/**
 * Seconds the viewer's access token has left (undefined for a guest). The page tells app.js, which
 * renews the session before posting a form that sat open past it: an expired token would make
 * the post fail the CSRF check and lose what was typed.
 */
export function sessionSecondsLeft(c: object, nowMs = Date.now()): number | undefined {
  const exp = expiries.get(c);
  return exp === undefined ? undefined : Math.max(0, Math.floor(exp - nowMs / 1000));
}

/**
 * Who is looking, and the form protection that goes with it.
 *
 * The viewer comes from identity's HttpOnly access cookie, verified with identity's keys (through
 * the gateway), so a forged cookie never shows a staff menu. An expired or missing access token
 * next to identity's CSRF cookie means a session that only needs a refresh: `sessionExpired` lets
 * the page's script do that (the refresh cookie is scoped to /api/identity, so only the browser can).
 *
 * CSRF: a signed-in form carries identity's CSRF token, whose hash is inside the signed access
 * token, and web forwards it as the X-CSRF-Token header that services check again. A guest's form
 * carries a random token from web's own SameSite cookie (double submit). Either way a POST without
 * the matching `_csrf` field stops here.
 */
export function session(opts: { verifier: Verifier; secureCookies: boolean }): MiddlewareHandler<WebEnv> {
  return async function sessionMiddleware(c, next) {
    const token = getCookie(c, ACCESS_COOKIE);
    const sessionCsrf = getCookie(c, SESSION_CSRF_COOKIE);
    let csrf: string | undefined;
    c.set('viewer', undefined);
    c.set('sessionExpired', false);
    if (token) {
      try {
        const claims = await opts.verifier.verify(token);
        c.set('viewer', callerFromClaims(claims));
        if (typeof claims.exp === 'number') expiries.set(c, claims.exp);
        if (sessionCsrf && claims.csrf && csrfClaim(sessionCsrf) === claims.csrf) csrf = sessionCsrf;
      } catch {
        c.set('sessionExpired', Boolean(sessionCsrf));
      }
    } else if (sessionCsrf) {
      c.set('sessionExpired', true);
    }
    if (!csrf) {
      csrf = getCookie(c, GUEST_CSRF_COOKIE);
      if (!csrf || !/^[\w-]{32,64}$/.test(csrf)) {
        csrf = randomBytes(24).toString('base64url');
        setCookie(c, GUEST_CSRF_COOKIE, csrf, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: opts.secureCookies,
          path: '/',
        });
      }
    }
    c.set('csrf', csrf);
    if (!SAFE.has(c.req.method)) {
      const type = c.req.header('content-type') ?? '';
      let sent: unknown;
      if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
        const form = await c.req.parseBody();
        sent = form[CSRF_FIELD];
      } else {
        sent = c.req.header('x-csrf-token');
      }
      if (typeof sent !== 'string' || !same(sent, csrf)) throw new CsrfRejected();
    }
    await next();
  };
}

/** A form's fields as strings (arrays keep their last value; files are ignored). */
export async function formFields(c: Parameters<MiddlewareHandler<WebEnv>>[0]): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof last === 'string') out[k] = last;
  }
  return out;
}

/** Every value of a repeated field (checkbox groups, line lists). */
export async function formList(c: Parameters<MiddlewareHandler<WebEnv>>[0], name: string): Promise<string[]> {
  const body = await c.req.parseBody({ all: true });
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
}
