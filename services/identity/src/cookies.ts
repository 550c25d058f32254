import { ACCESS_COOKIE } from '@storefront/kit';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { IdentityConfig } from './config.ts';
import type { IssuedTokens } from './sessions.ts';

/**
 * Cookie mode for the web app. The access and refresh tokens are HttpOnly (script cannot read
 * them), SameSite=Lax (not sent on cross-site POSTs) and Secure outside plain-http localhost. The
 * CSRF cookie is readable on purpose: the page copies it into the X-CSRF-Token header, which a
 * cross-site form cannot set.
 */
export const REFRESH_COOKIE = 'sf_rt';
export const CSRF_COOKIE = 'sf_csrf';

type CookieConfig = Pick<IdentityConfig, 'COOKIE_SECURE' | 'COOKIE_DOMAIN' | 'PUBLIC_PATH_PREFIX' | 'SESSION_MAX_DAYS'>;

const base = (cfg: CookieConfig) => ({
  secure: cfg.COOKIE_SECURE,
  sameSite: 'Lax' as const,
  ...(cfg.COOKIE_DOMAIN ? { domain: cfg.COOKIE_DOMAIN } : {}),
});

// The refresh token is only ever sent to identity (refresh and logout), not to every API call.
const refreshPath = (cfg: CookieConfig) => `${cfg.PUBLIC_PATH_PREFIX}/` || '/';

export function setSessionCookies(c: Context, cfg: CookieConfig, t: IssuedTokens, now: Date): void {
  setCookie(c, ACCESS_COOKIE, t.accessToken, { ...base(cfg), httpOnly: true, path: '/', maxAge: t.expiresIn });
  const refreshAge = Math.max(1, Math.floor((t.refreshExpiresAt.getTime() - now.getTime()) / 1000));
  setCookie(c, REFRESH_COOKIE, t.refreshToken, {
    ...base(cfg),
    httpOnly: true,
    path: refreshPath(cfg),
    maxAge: refreshAge,
  });
  // Only a new session has a new CSRF token; a refresh keeps the one the page already holds.
  if (t.csrfToken) {
    setCookie(c, CSRF_COOKIE, t.csrfToken, {
      ...base(cfg),
      httpOnly: false,
      path: '/',
      maxAge: cfg.SESSION_MAX_DAYS * 86_400,
    });
  }
}

export function clearSessionCookies(c: Context, cfg: CookieConfig): void {
  deleteCookie(c, ACCESS_COOKIE, { ...base(cfg), path: '/' });
  deleteCookie(c, REFRESH_COOKIE, { ...base(cfg), path: refreshPath(cfg) });
  deleteCookie(c, CSRF_COOKIE, { ...base(cfg), path: '/' });
}

export function refreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE);
}
