import { isStaff, type Role } from '@storefront/kit';

/**
 * Identity's decisions as pure functions: no I/O, no clock, no randomness — `now` and ids come in.
 * Tested with tables of cases in domain.test.ts.
 */

/** One spelling per address: trimmed and lower-cased (the local part is case-insensitive in practice). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface LockoutPolicy {
  /** Failures before the first lock. */
  readonly threshold: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/**
 * Seconds an email is locked after its `failures`-th consecutive failure: nothing below the
 * threshold, then base, 2×base, 4×base… capped. Keyed by email, so it behaves the same for
 * addresses that have no account (a lock reveals nothing).
 */
export function lockSeconds(failures: number, p: LockoutPolicy): number {
  if (failures < p.threshold) return 0;
  const doublings = Math.min(failures - p.threshold, 30);
  return Math.min(p.baseSeconds * 2 ** doublings, p.maxSeconds);
}

export interface AccountState {
  readonly roles: readonly Role[];
  readonly emailVerified: boolean;
  readonly disabled: boolean;
  readonly mfaEnabled: boolean;
}

export type LoginOutcome =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'unverified' }
  | { readonly kind: 'mfa'; readonly purpose: 'verify' | 'enrol' }
  | { readonly kind: 'session' };

/** What a login attempt leads to once the password has been checked (against a dummy when there is no account). */
export function loginOutcome(account: AccountState | undefined, passwordOk: boolean): LoginOutcome {
  // A disabled account answers exactly like a wrong password: no hint that it exists.
  if (!account || !passwordOk || account.disabled) return { kind: 'invalid' };
  if (!account.emailVerified) return { kind: 'unverified' };
  if (isStaff(account.roles)) return { kind: 'mfa', purpose: account.mfaEnabled ? 'verify' : 'enrol' };
  return { kind: 'session' };
}

export interface RefreshState {
  readonly tokenUsed: boolean;
  readonly tokenExpiresAt: Date;
  readonly sessionRevoked: boolean;
  readonly sessionExpiresAt: Date;
  readonly accountDisabled: boolean;
}

/**
 * A refresh token is good once. Presenting a used one means two parties hold the family (one of
 * them stole it), so the whole session is revoked — even if it had already ended otherwise.
 */
export function refreshOutcome(s: RefreshState, now: Date): 'rotate' | 'reuse' | 'dead' {
  if (s.tokenUsed) return s.sessionRevoked ? 'dead' : 'reuse';
  if (s.sessionRevoked || s.accountDisabled) return 'dead';
  if (s.tokenExpiresAt <= now || s.sessionExpiresAt <= now) return 'dead';
  return 'rotate';
}

/** A refresh token lives its TTL but never past its session's absolute end. */
export function refreshExpiry(now: Date, ttlMs: number, sessionExpiresAt: Date): Date {
  return new Date(Math.min(now.getTime() + ttlMs, sessionExpiresAt.getTime()));
}

export interface KeyInfo {
  readonly kid: string;
  readonly activatesAt: Date;
  readonly createdAt: Date;
}

/** The key that signs now: the most recently activated one. */
export function signingKey<K extends KeyInfo>(keys: readonly K[], now: Date): K | undefined {
  let best: K | undefined;
  for (const k of keys) {
    if (k.activatesAt > now) continue;
    if (!best || k.activatesAt > best.activatesAt) best = k;
  }
  return best;
}

/**
 * Keys a verifier must know: the signing key, keys waiting to activate (pre-published), and
 * retired keys until the last token they signed has expired (`retention` = access TTL + skew).
 */
export function publishedKeys<K extends KeyInfo>(keys: readonly K[], now: Date, retentionMs: number): K[] {
  const sorted = [...keys].sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime());
  const current = signingKey(sorted, now);
  return sorted.filter((k, i) => {
    if (k === current || k.activatesAt > now) return true;
    const successor = sorted.slice(i + 1).find((n) => n.activatesAt <= now);
    // Retired when its successor activated; tokens it signed live at most `retention` after that.
    return successor !== undefined && successor.activatesAt.getTime() + retentionMs > now.getTime();
  });
}

/** Whether the signing key is old enough to rotate at start. */
export function keyNeedsRotation(current: KeyInfo | undefined, pending: boolean, now: Date, maxAgeMs: number): boolean {
  if (!current) return !pending;
  return !pending && now.getTime() - current.activatesAt.getTime() >= maxAgeMs;
}

/** Roles an admin may grant; an admin cannot change their own (no locking oneself out by accident). */
export function roleChangeAllowed(actorId: string, targetId: string, roles: readonly Role[]): string | undefined {
  if (actorId === targetId) return 'you cannot change your own roles';
  if (roles.length === 0) return 'an account needs at least one role';
  return undefined;
}

/** Audit pagination: the cursor is the last row's sequence number, opaque to clients. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`a:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const m = /^a:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m?.[1] ? Number(m[1]) : undefined;
}
