import { Forbidden, Unauthorized } from '@storefront/kit';
import { accountTarget, anonymous, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import { loginOutcome, normalizeEmail } from './domain.ts';
import type { RequestMeta } from './request-meta.ts';
import { emailKey } from './secrets.ts';
import { type IssuedTokens, type Mode, startSession } from './sessions.ts';
import { type Account, findAccountByEmail, setPasswordHash } from './store.ts';

export type LoginResult =
  | { readonly status: 'ok'; readonly tokens: IssuedTokens }
  | {
      readonly status: 'mfa_required' | 'mfa_enrolment_required';
      readonly challenge: string;
      readonly expiresIn: number;
    };

/** The one answer for every wrong email/password combination. */
export const INVALID_CREDENTIALS = 'the email or password is not correct';

async function checkPassword(idn: Identity, account: Account | undefined, password: string) {
  if (!account?.passwordHash) return { ok: await idn.hasher.verifyDummy(password), needsRehash: false };
  return idn.hasher.verify(account.passwordHash, password);
}

async function rehash(idn: Identity, account: Account, password: string) {
  const fresh = await idn.hasher.hash(password);
  // Conditional on the old hash: a reset that raced this login wins.
  await setPasswordHash(idn.db, account.id, fresh, idn.clock(), account.passwordHash ?? undefined);
  idn.log.info({ accountId: account.id }, 'password rehashed with the current argon2 parameters');
}

/**
 * Password sign-in. Unknown and known emails cost the same (a dummy hash), get the same answer and
 * share one lockout (keyed by the email's hash), so none of them says whether an account exists.
 */
export async function login(
  idn: Identity,
  input: { email: string; password: string; mode: Mode },
  meta: RequestMeta,
): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  const ek = emailKey(email);
  await idn.guard.checkIp(meta.ip);
  await idn.guard.checkLock(ek);
  const account = await findAccountByEmail(idn.db, email);
  const check = await checkPassword(idn, account, input.password);
  const outcome = loginOutcome(
    account && {
      roles: account.roles,
      emailVerified: account.emailVerifiedAt !== null,
      disabled: account.disabledAt !== null,
      mfaEnabled: account.mfaEnabledAt !== null,
    },
    check.ok,
  );

  if (outcome.kind === 'invalid' || !account) {
    const { failures, lockedSeconds } = await idn.guard.failure(ek);
    const target = account ? accountTarget(account.id) : { type: 'email', id: email };
    await recordAudit(idn, idn.db, meta, {
      action: 'login.failure',
      outcome: 'failure',
      actor: anonymous,
      target,
      details: { failures },
    });
    if (lockedSeconds > 0) {
      await recordAudit(idn, idn.db, meta, {
        action: 'login.lockout',
        outcome: 'failure',
        actor: anonymous,
        target,
        details: { failures, seconds: lockedSeconds },
      });
    }
    throw new Unauthorized(INVALID_CREDENTIALS);
  }
  await idn.guard.success(ek);
  if (check.needsRehash) await rehash(idn, account, input.password);
  // Only someone who knows the password learns that the address is not verified yet.
  if (outcome.kind === 'unverified') {
    throw new Forbidden('confirm your email address first: we sent you a link', {
      extensions: { code: 'email_unverified' },
    });
  }
  if (outcome.kind === 'mfa') {
    const { challenge, expiresIn } = await idn.challenges.create({
      accountId: account.id,
      emailKey: ek,
      purpose: outcome.purpose,
      mode: input.mode,
    });
    return {
      status: outcome.purpose === 'verify' ? 'mfa_required' : 'mfa_enrolment_required',
      challenge,
      expiresIn,
    };
  }
  const tokens = await idn.db.tx((tx) =>
    startSession(idn, tx, account, { amr: ['pwd'], mfa: false, mode: input.mode }, meta),
  );
  return { status: 'ok', tokens };
}
