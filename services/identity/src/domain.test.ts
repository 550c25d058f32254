import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  keyNeedsRotation,
  lockSeconds,
  loginOutcome,
  normalizeEmail,
  publishedKeys,
  refreshOutcome,
  signingKey,
} from './domain.ts';

const t = (s: number) => new Date(s * 1000);

describe('domain', () => {
  it('normalizes emails', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it.each([
    [0, 0],
    [4, 0],
    [5, 30],
    [6, 60],
    [7, 120],
    [9, 480],
    [10, 900],
    [50, 900],
  ])('locks after %i failures for %i s', (failures, seconds) => {
    expect(lockSeconds(failures, { threshold: 5, baseSeconds: 30, maxSeconds: 900 })).toBe(seconds);
  });

  const customer = { roles: ['customer' as const], emailVerified: true, disabled: false, mfaEnabled: false };
  it.each([
    ['no account', undefined, true, 'invalid'],
    ['wrong password', customer, false, 'invalid'],
    ['disabled', { ...customer, disabled: true }, true, 'invalid'],
    ['unverified', { ...customer, emailVerified: false }, true, 'unverified'],
    ['customer', customer, true, 'session'],
    ['staff, no MFA', { ...customer, roles: ['support' as const] }, true, 'mfa:enrol'],
    ['staff with MFA', { ...customer, roles: ['admin' as const], mfaEnabled: true }, true, 'mfa:verify'],
  ])('login outcome: %s', (_name, account, ok, expected) => {
    const o = loginOutcome(account, ok);
    expect(o.kind === 'mfa' ? `mfa:${o.purpose}` : o.kind).toBe(expected);
  });

  const live = {
    tokenUsed: false,
    tokenExpiresAt: t(200),
    sessionRevoked: false,
    sessionExpiresAt: t(300),
    accountDisabled: false,
  };
  it.each([
    ['fresh', live, 'rotate'],
    ['used', { ...live, tokenUsed: true }, 'reuse'],
    ['used after revoke', { ...live, tokenUsed: true, sessionRevoked: true }, 'dead'],
    ['revoked', { ...live, sessionRevoked: true }, 'dead'],
    ['expired token', { ...live, tokenExpiresAt: t(100) }, 'dead'],
    ['expired session', { ...live, sessionExpiresAt: t(100) }, 'dead'],
    ['disabled account', { ...live, accountDisabled: true }, 'dead'],
  ])('refresh outcome: %s', (_name, state, expected) => {
    expect(refreshOutcome(state, t(150))).toBe(expected);
  });

  it('picks the signing key and publishes pending and recently retired keys', () => {
    const k = (kid: string, at: number) => ({ kid, activatesAt: t(at), createdAt: t(at) });
    const keys = [k('a', 0), k('b', 1000), k('c', 5000)];
    expect(signingKey(keys, t(500))?.kid).toBe('a');
    expect(signingKey(keys, t(1500))?.kid).toBe('b');
    // a retired at 1000; its tokens live up to 960 s more.
    expect(publishedKeys(keys, t(1500), 960_000).map((x) => x.kid)).toEqual(['a', 'b', 'c']);
    expect(publishedKeys(keys, t(2000), 960_000).map((x) => x.kid)).toEqual(['b', 'c']);
    expect(publishedKeys(keys, t(9000), 960_000).map((x) => x.kid)).toEqual(['c']);
    expect(keyNeedsRotation(undefined, false, t(0), 1000)).toBe(true);
    expect(keyNeedsRotation(k('a', 0), false, t(10), 100_000)).toBe(false);
    expect(keyNeedsRotation(k('a', 0), false, t(200), 100_000)).toBe(true);
    expect(keyNeedsRotation(k('a', 0), true, t(200), 100_000)).toBe(false);
  });

  it('round-trips cursors and refuses foreign ones', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(decodeCursor('bogus')).toBeUndefined();
    expect(decodeCursor(Buffer.from('a:-1').toString('base64url'))).toBeUndefined();
  });
});
