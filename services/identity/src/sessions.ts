import { csrfClaim, Forbidden, type Queryable, Unauthorized } from '@storefront/kit';
import { accountActor, accountTarget, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import { refreshExpiry, refreshOutcome } from './domain.ts';
import type { RequestMeta } from './request-meta.ts';
import { newSecret, secretHash } from './secrets.ts';
import {
  type Account,
  findAccount,
  findRefreshForUpdate,
  insertRefreshToken,
  insertSession,
  markRefreshUsed,
  revokeSession,
  type Session,
} from './store.ts';

export type Mode = 'bearer' | 'cookie';

export interface IssuedTokens {
  readonly sessionId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Cookie mode only: what the web app echoes in X-CSRF-Token. */
  readonly csrfToken: string | null;
  readonly expiresIn: number;
  readonly refreshExpiresAt: Date;
  readonly mode: Mode;
}

const DAY = 86_400_000;
const INVALID_REFRESH = 'the refresh token is not valid; sign in again';

async function issue(idn: Identity, tx: Queryable, account: Account, session: Session, generation: number) {
  const now = idn.clock();
  const refreshToken = newSecret();
  const refreshExpiresAt = refreshExpiry(now, idn.config.REFRESH_TOKEN_TTL_DAYS * DAY, session.expiresAt);
  await insertRefreshToken(tx, {
    hash: secretHash(refreshToken),
    sessionId: session.id,
    generation,
    now,
    expiresAt: refreshExpiresAt,
  });
  const { token, expiresIn } = await idn.keys.sign({
    sub: account.id,
    sid: session.id,
    // Roles come from the account each time, so a role change reaches the next access token.
    roles: account.roles,
    mfa: session.mfa,
    amr: session.amr,
    csrf: session.csrfHash,
    jti: idn.newId(),
  });
  return { accessToken: token, refreshToken, expiresIn, refreshExpiresAt };
}

/** A new session (refresh-token family) after a completed sign-in, audited as login.success. */
export async function startSession(
  idn: Identity,
  tx: Queryable,
  account: Account,
  how: { amr: string[]; mfa: boolean; mode: Mode },
  meta: RequestMeta,
): Promise<IssuedTokens> {
  const now = idn.clock();
  const csrfToken = how.mode === 'cookie' ? newSecret() : null;
  const session: Session = {
    id: idn.newId(),
    accountId: account.id,
    amr: how.amr,
    mfa: how.mfa,
    mode: how.mode,
    csrfHash: csrfToken ? csrfClaim(csrfToken) : null,
    ip: meta.ip,
    userAgent: meta.userAgent,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + idn.config.SESSION_MAX_DAYS * DAY),
    revokedAt: null,
  };
  await insertSession(tx, session);
  const tokens = await issue(idn, tx, account, session, 1);
  await recordAudit(idn, tx, meta, {
    action: 'login.success',
    actor: accountActor(account.id),
    target: accountTarget(account.id),
    details: { sessionId: session.id, amr: how.amr, mode: how.mode },
  });
  return { ...tokens, sessionId: session.id, csrfToken, mode: how.mode };
}

/**
 * Rotates a refresh token. A used token means the family leaked: the session is revoked and the
 * reuse audited — committed before the 401, so the revocation sticks.
 */
export async function refreshSession(
  idn: Identity,
  raw: string,
  meta: RequestMeta,
  csrf: { fromCookie: boolean; header: string | undefined },
): Promise<IssuedTokens> {
  const hash = secretHash(raw);
  const result = await idn.db.tx(async (tx) => {
    const row = await findRefreshForUpdate(tx, hash);
    if (!row) return { kind: 'dead' as const };
    const { session } = row;
    // A browser sends the cookie on its own; only the page that got the CSRF token can refresh with it.
    if (csrf.fromCookie && (!session.csrfHash || !csrf.header || csrfClaim(csrf.header) !== session.csrfHash)) {
      return { kind: 'csrf' as const };
    }
    const account = await findAccount(tx, session.accountId);
    const now = idn.clock();
    const outcome = refreshOutcome(
      {
        tokenUsed: row.tokenUsed,
        tokenExpiresAt: row.tokenExpiresAt,
        sessionRevoked: session.revokedAt !== null,
        sessionExpiresAt: session.expiresAt,
        accountDisabled: !account || account.disabledAt !== null,
      },
      now,
    );
    if (outcome === 'reuse') {
      await revokeSession(tx, session.id, 'refresh-token-reuse', now);
      await recordAudit(idn, tx, meta, {
        action: 'token.reuse',
        outcome: 'failure',
        actor: accountActor(session.accountId),
        target: { type: 'session', id: session.id },
        details: { generation: row.generation },
      });
      return { kind: 'reuse' as const, sessionId: session.id };
    }
    if (outcome === 'dead' || !account) return { kind: 'dead' as const };
    await markRefreshUsed(tx, hash, session.id, now);
    const tokens = await issue(idn, tx, account, session, row.generation + 1);
    return {
      kind: 'ok' as const,
      tokens: { ...tokens, sessionId: session.id, csrfToken: null, mode: session.mode },
    };
  });
  if (result.kind === 'csrf') {
    throw new Forbidden('a cookie refresh needs the x-csrf-token header', { extensions: { code: 'csrf_failed' } });
  }
  if (result.kind === 'reuse') {
    idn.log.warn({ sessionId: result.sessionId }, 'refresh token reused: session revoked');
    throw new Unauthorized(INVALID_REFRESH);
  }
  if (result.kind === 'dead') throw new Unauthorized(INVALID_REFRESH);
  return result.tokens;
}
