import type { Context } from 'hono';
import type { IdentityConfig } from './config.ts';
import { setSessionCookies } from './cookies.ts';
import type { LoginResult } from './login.ts';
import type { IssuedTokens } from './sessions.ts';

/** Tokens in the body (bearer clients) or in cookies with only the CSRF token in the body (the web app). */
export function tokenBody(c: Context, cfg: IdentityConfig, t: IssuedTokens, now: Date) {
  if (t.mode === 'cookie') {
    setSessionCookies(c, cfg, t, now);
    return {
      status: 'ok' as const,
      sessionId: t.sessionId,
      expiresIn: t.expiresIn,
      ...(t.csrfToken ? { csrfToken: t.csrfToken } : {}),
    };
  }
  return {
    status: 'ok' as const,
    sessionId: t.sessionId,
    tokenType: 'Bearer' as const,
    accessToken: t.accessToken,
    expiresIn: t.expiresIn,
    refreshToken: t.refreshToken,
    refreshExpiresAt: t.refreshExpiresAt.toISOString(),
  };
}

export function loginBody(c: Context, cfg: IdentityConfig, r: LoginResult, now: Date) {
  if (r.status === 'ok') return tokenBody(c, cfg, r.tokens, now);
  return { status: r.status, challenge: r.challenge, expiresIn: r.expiresIn };
}
