import { randomBytes } from 'node:crypto';
import { Conflict, Unauthorized } from '@storefront/kit';
import { accountActor, accountTarget, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import type { LoginResult } from './login.ts';
import type { RequestMeta } from './request-meta.ts';
import { secretHash } from './secrets.ts';
import { startSession } from './sessions.ts';
import { type Account, claimTotpStep, enableMfa, findAccount, replaceRecoveryCodes, useRecoveryCode } from './store.ts';
import { base32Decode, base32Encode, otpauthUri, verifyTotp } from './totp.ts';

const BAD_CODE = 'the code is not valid';
const TOTP_ISSUER = 'Storefront';

/** Ten codes of 80 bits each (16 base32 characters), shown once; only their hashes are kept. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => base32Encode(randomBytes(10)).match(/.{4}/g)?.join('-') ?? '');
}

export function recoveryCodeHash(code: string): Buffer {
  return secretHash(code.replace(/[\s-]/g, '').toUpperCase());
}

async function wrongCode(
  idn: Identity,
  token: string,
  c: Parameters<Identity['challenges']['fail']>[1],
  meta: RequestMeta,
): Promise<never> {
  await idn.challenges.fail(token, c);
  await idn.guard.failure(c.emailKey);
  await recordAudit(idn, idn.db, meta, {
    action: c.purpose === 'enrol' ? 'mfa.enrol' : 'mfa.failure',
    outcome: 'failure',
    actor: accountActor(c.accountId),
    target: accountTarget(c.accountId),
  });
  throw new Unauthorized(BAD_CODE);
}

/** Second step of a staff sign-in: a TOTP code (or a recovery code) against the challenge. */
export async function loginWithMfa(
  idn: Identity,
  input: { challenge: string; code?: string | undefined; recoveryCode?: string | undefined },
  meta: RequestMeta,
): Promise<LoginResult> {
  const c = await idn.challenges.get(input.challenge, 'verify');
  await idn.guard.checkLock(c.emailKey);
  const account = await findAccount(idn.db, c.accountId);
  if (!account?.mfaSecret || account.disabledAt) throw new Unauthorized(BAD_CODE);
  let ok = false;
  if (input.code) {
    const secret = base32Decode(idn.sealer.open(account.mfaSecret));
    const step = verifyTotp(secret, input.code, idn.clock().getTime(), account.mfaLastStep);
    // The conditional update is the replay guard: two requests with one code, one wins.
    ok = step !== undefined && (await claimTotpStep(idn.db, account.id, step));
  } else if (input.recoveryCode) {
    ok = await useRecoveryCode(idn.db, account.id, recoveryCodeHash(input.recoveryCode), idn.clock());
  }
  if (!ok) return wrongCode(idn, input.challenge, c, meta);
  await idn.challenges.consume(input.challenge);
  await idn.guard.success(c.emailKey);
  const tokens = await idn.db.tx(async (tx) => {
    if (input.recoveryCode) {
      await recordAudit(idn, tx, meta, {
        action: 'mfa.recovery-code-used',
        actor: accountActor(account.id),
        target: accountTarget(account.id),
      });
    }
    return startSession(idn, tx, account, { amr: ['pwd', 'otp'], mfa: true, mode: c.mode }, meta);
  });
  return { status: 'ok', tokens };
}

/** Enrolment, step one: a new secret for the authenticator app (kept with the challenge until confirmed). */
export async function startEnrolment(idn: Identity, challenge: string) {
  const c = await idn.challenges.get(challenge, 'enrol');
  const account = await findAccount(idn.db, c.accountId);
  if (!account) throw new Unauthorized(BAD_CODE);
  const secret = c.pendingSecret ?? base32Encode(randomBytes(20));
  if (!c.pendingSecret) await idn.challenges.update(challenge, { ...c, pendingSecret: secret });
  return { secret, otpauthUri: otpauthUri(secret, account.email, TOTP_ISSUER) };
}

/** Enrolment, step two: a code proves the app has the secret; MFA is on and a session starts. */
export async function confirmEnrolment(idn: Identity, input: { challenge: string; code: string }, meta: RequestMeta) {
  const c = await idn.challenges.get(input.challenge, 'enrol');
  await idn.guard.checkLock(c.emailKey);
  if (!c.pendingSecret) throw new Conflict('start the enrolment first: POST /mfa/enrol/start');
  const step = verifyTotp(base32Decode(c.pendingSecret), input.code, idn.clock().getTime());
  if (step === undefined) return wrongCode(idn, input.challenge, c, meta);
  const secret = c.pendingSecret;
  const codes = newRecoveryCodes();
  const result = await idn.db.tx(async (tx) => {
    const account: Account | undefined = await findAccount(tx, c.accountId, { forUpdate: true });
    if (!account || account.disabledAt) throw new Unauthorized(BAD_CODE);
    if (account.mfaEnabledAt) throw new Conflict('MFA is already enrolled for this account');
    await enableMfa(tx, account.id, idn.sealer.seal(secret), step, idn.clock());
    await replaceRecoveryCodes(tx, account.id, codes.map(recoveryCodeHash));
    await recordAudit(idn, tx, meta, {
      action: 'mfa.enrol',
      actor: accountActor(account.id),
      target: accountTarget(account.id),
    });
    return startSession(idn, tx, account, { amr: ['pwd', 'otp'], mfa: true, mode: c.mode }, meta);
  });
  await idn.challenges.consume(input.challenge);
  await idn.guard.success(c.emailKey);
  return { tokens: result, recoveryCodes: codes };
}
