import { BadRequest } from '@storefront/kit';
import { accountActor, accountTarget, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import { normalizeEmail } from './domain.ts';
import { logLinkForDev, requestLink } from './events.ts';
import type { RequestMeta } from './request-meta.ts';
import { emailKey, secretHash } from './secrets.ts';
import {
  consumeOneTimeToken,
  findAccount,
  findAccountByEmail,
  insertAccount,
  markEmailVerified,
  revokeAccountSessions,
  setDisplayName,
  setPasswordHash,
} from './store.ts';

const VERIFY_MINUTES = 24 * 60;
const RESET_MINUTES = 30;
const BAD_LINK = 'this link is not valid or has expired; ask for a new one';

/**
 * Sign-up. The answer is the same whether or not the address is taken (no enumeration); the
 * password and the optional display name chosen here are kept with the link and set only when
 * the mailbox owner follows it.
 */
export async function register(
  idn: Identity,
  input: { email: string; password: string; displayName?: string | null | undefined },
  meta: RequestMeta,
) {
  const email = normalizeEmail(input.email);
  await idn.guard.limit('register-ip', meta.ip, 20, 3_600);
  await idn.guard.limit('register-email', emailKey(email), 3, 3_600);
  // Hash in every case so a taken address takes as long as a free one.
  const passwordHash = await idn.hasher.hash(input.password);
  const link = await idn.db.tx(async (tx) => {
    const id = idn.newId();
    const created = await insertAccount(tx, {
      id,
      email,
      passwordHash: null,
      roles: ['customer'],
      verifiedAt: null,
      now: idn.clock(),
    });
    const account = created ? { id, emailVerifiedAt: null } : await findAccountByEmail(tx, email);
    // A verified account already has its owner; they are not told again (a notice could be added).
    if (!account || account.emailVerifiedAt) return undefined;
    const { link } = await requestLink(idn, tx, {
      accountId: account.id,
      email,
      purpose: 'verify-email',
      ttlMinutes: VERIFY_MINUTES,
      passwordHash,
      displayName: input.displayName ?? null,
    });
    if (created) {
      await recordAudit(idn, tx, meta, {
        action: 'account.register',
        actor: accountActor(id),
        target: accountTarget(id),
      });
    }
    return link;
  });
  if (link) logLinkForDev(idn, 'verify-email', email, link);
}

export async function verifyEmail(idn: Identity, token: string, meta: RequestMeta): Promise<void> {
  await idn.db.tx(async (tx) => {
    const used = await consumeOneTimeToken(tx, secretHash(token), 'verify-email', idn.clock());
    if (!used) throw new BadRequest(BAD_LINK, { extensions: { code: 'invalid_link' } });
    if (used.passwordHash) await setPasswordHash(tx, used.accountId, used.passwordHash, idn.clock());
    if (used.displayName) await setDisplayName(tx, used.accountId, used.displayName, idn.clock());
    await markEmailVerified(tx, used.accountId, idn.clock());
    await recordAudit(idn, tx, meta, {
      action: 'email.verify',
      actor: accountActor(used.accountId),
      target: accountTarget(used.accountId),
    });
  });
}

/** Always 202: whether a link was sent is only visible in the mailbox. */
export async function forgotPassword(idn: Identity, rawEmail: string, meta: RequestMeta): Promise<void> {
  const email = normalizeEmail(rawEmail);
  await idn.guard.limit('forgot-ip', meta.ip, 20, 3_600);
  await idn.guard.limit('forgot-email', emailKey(email), 3, 900);
  const account = await findAccountByEmail(idn.db, email);
  if (!account || account.disabledAt) return;
  const { link } = await idn.db.tx(async (tx) => {
    await recordAudit(idn, tx, meta, {
      action: 'password.reset-requested',
      actor: { type: 'anonymous', id: null },
      target: accountTarget(account.id),
    });
    return requestLink(idn, tx, { accountId: account.id, email, purpose: 'reset-password', ttlMinutes: RESET_MINUTES });
  });
  logLinkForDev(idn, 'reset-password', email, link);
}

/** Sets a new password from a reset link; every session of the account ends (a thief's too). */
export async function resetPassword(idn: Identity, input: { token: string; password: string }, meta: RequestMeta) {
  const passwordHash = await idn.hasher.hash(input.password);
  const email = await idn.db.tx(async (tx) => {
    const now = idn.clock();
    const used = await consumeOneTimeToken(tx, secretHash(input.token), 'reset-password', now);
    if (!used) throw new BadRequest(BAD_LINK, { extensions: { code: 'invalid_link' } });
    await setPasswordHash(tx, used.accountId, passwordHash, now);
    // Following the link proved the mailbox, which is what verification asks.
    await markEmailVerified(tx, used.accountId, now);
    const revoked = await revokeAccountSessions(tx, used.accountId, 'password-reset', now);
    await recordAudit(idn, tx, meta, {
      action: 'password.reset',
      actor: accountActor(used.accountId),
      target: accountTarget(used.accountId),
      details: { sessionsRevoked: revoked },
    });
    return (await findAccount(tx, used.accountId))?.email;
  });
  // The owner proved themselves: lift a lockout an attacker may have caused.
  if (email) await idn.guard.success(emailKey(email));
}

export const LINK_MINUTES = { verify: VERIFY_MINUTES, reset: RESET_MINUTES };
