import { type AuthEnv, type Caller, csrfClaim, Forbidden, NotFound, Unauthorized } from '@storefront/kit';
import type { MiddlewareHandler } from 'hono';
import { accountActor, accountTarget, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import type { RequestMeta } from './request-meta.ts';
import { secretHash } from './secrets.ts';
import {
  findOwnSession,
  findRefreshForUpdate,
  findSession,
  revokeOtherSessions,
  revokeSession,
  type Session,
} from './store.ts';

/**
 * Identity's own routes go one step further than other services: besides the signature, the
 * session must still be live, so logout and revocation take effect here at once (elsewhere within
 * the access token's lifetime).
 */
export function liveSession(idn: Identity): MiddlewareHandler<AuthEnv> {
  return async function liveSessionMiddleware(c, next) {
    const caller = c.get('caller');
    if (caller) {
      const s = await findSession(idn.db, caller.sessionId);
      if (!s || s.accountId !== caller.id || s.revokedAt || s.expiresAt <= idn.clock()) {
        throw new Unauthorized('this session has ended; sign in again');
      }
    }
    await next();
  };
}

export function sessionView(s: Session, currentId: string | undefined) {
  return {
    id: s.id,
    current: s.id === currentId,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    mfa: s.mfa,
    mode: s.mode,
  };
}

/** Ends one of the caller's own sessions; someone else's is "not found" (no IDOR, no probing). */
export async function revokeOwnSession(idn: Identity, caller: Caller, id: string, meta: RequestMeta) {
  await idn.db.tx(async (tx) => {
    const s = await findOwnSession(tx, id, caller.id);
    if (!s) throw new NotFound('no such session');
    if (await revokeSession(tx, id, 'revoked-by-owner', idn.clock())) {
      await recordAudit(idn, tx, meta, {
        action: 'session.revoke',
        actor: accountActor(caller.id),
        target: { type: 'session', id },
      });
    }
  });
}

/**
 * "Sign out everywhere else": ends every other live session of the caller, keeps the one making the
 * call (the caller signs that one out with /logout when they mean it). Recorded as a security event
 * even when nothing else was signed in, so the owner's action shows in the audit log.
 */
export async function revokeOtherOwnSessions(idn: Identity, caller: Caller, meta: RequestMeta): Promise<number> {
  return idn.db.tx(async (tx) => {
    const revoked = await revokeOtherSessions(tx, caller.id, caller.sessionId, 'revoked-by-owner', idn.clock());
    await recordAudit(idn, tx, meta, {
      action: 'session.revoke-others',
      actor: accountActor(caller.id),
      target: accountTarget(caller.id),
      details: { revoked, kept: caller.sessionId },
    });
    return revoked;
  });
}

export interface LogoutInput {
  readonly caller?: Caller | undefined;
  readonly refreshToken?: string | undefined;
  readonly fromCookie: boolean;
  readonly csrfHeader?: string | undefined;
}

/** Ends the session named by the access token, or else by a refresh token. Idempotent. */
export async function logout(idn: Identity, input: LogoutInput, meta: RequestMeta): Promise<void> {
  await idn.db.tx(async (tx) => {
    let sessionId = input.caller?.sessionId;
    let accountId = input.caller?.id;
    if (!sessionId && input.refreshToken) {
      const row = await findRefreshForUpdate(tx, secretHash(input.refreshToken));
      if (!row) return;
      const h = row.session.csrfHash;
      if (input.fromCookie && (!h || !input.csrfHeader || csrfClaim(input.csrfHeader) !== h)) {
        throw new Forbidden('a cookie logout needs the x-csrf-token header', { extensions: { code: 'csrf_failed' } });
      }
      sessionId = row.session.id;
      accountId = row.session.accountId;
    }
    if (!sessionId || !accountId) return;
    if (await revokeSession(tx, sessionId, 'logout', idn.clock())) {
      await recordAudit(idn, tx, meta, {
        action: 'logout',
        actor: accountActor(accountId),
        target: { type: 'session', id: sessionId },
      });
    }
  });
}
