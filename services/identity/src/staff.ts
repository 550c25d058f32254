import { type Caller, Conflict, NotFound, type Role, ValidationFailed } from '@storefront/kit';
import { accountActor, accountTarget, recordAudit, system } from './audit.ts';
import type { Identity } from './context.ts';
import { normalizeEmail, roleChangeAllowed } from './domain.ts';
import { logLinkForDev, requestLink } from './events.ts';
import type { RequestMeta } from './request-meta.ts';
import { anyAdmin, disableMfa, findAccount, insertAccount, revokeAccountSessions, setRoles } from './store.ts';

const INVITE_MINUTES = 72 * 60;

/** An admin invites a staff member: the account exists without a password; the invite is a reset link. */
export async function createStaff(
  idn: Identity,
  actor: Caller,
  input: { email: string; roles: Role[] },
  meta: RequestMeta,
) {
  const email = normalizeEmail(input.email);
  const id = idn.newId();
  const link = await idn.db.tx(async (tx) => {
    const created = await insertAccount(tx, {
      id,
      email,
      passwordHash: null,
      roles: input.roles,
      verifiedAt: null,
      now: idn.clock(),
    });
    if (!created) throw new Conflict('an account with this email exists; change its roles instead');
    await recordAudit(idn, tx, meta, {
      action: 'staff.create',
      actor: accountActor(actor.id),
      target: accountTarget(id),
      details: { roles: input.roles },
    });
    return (await requestLink(idn, tx, { accountId: id, email, purpose: 'reset-password', ttlMinutes: INVITE_MINUTES }))
      .link;
  });
  logLinkForDev(idn, 'reset-password', email, link);
  return { id, email, roles: input.roles };
}

/** Roles change takes effect at once: the account's sessions end, so no token keeps the old roles for long. */
export async function changeRoles(idn: Identity, actor: Caller, targetId: string, roles: Role[], meta: RequestMeta) {
  const refused = roleChangeAllowed(actor.id, targetId, roles);
  if (refused) throw new ValidationFailed(refused, [{ path: 'body.roles', message: refused }]);
  return idn.db.tx(async (tx) => {
    const account = await findAccount(tx, targetId, { forUpdate: true });
    if (!account) throw new NotFound('no such account');
    const now = idn.clock();
    await setRoles(tx, targetId, roles, now);
    const revoked = await revokeAccountSessions(tx, targetId, 'role-change', now);
    await recordAudit(idn, tx, meta, {
      action: 'role.change',
      actor: accountActor(actor.id),
      target: accountTarget(targetId),
      details: { from: account.roles, to: roles, sessionsRevoked: revoked },
    });
    return { id: targetId, email: account.email, roles };
  });
}

/** A staff member lost their authenticator: MFA off, sessions ended; they enrol again at next sign-in. */
export async function resetMfa(idn: Identity, actor: Caller, targetId: string, meta: RequestMeta) {
  await idn.db.tx(async (tx) => {
    const account = await findAccount(tx, targetId, { forUpdate: true });
    if (!account) throw new NotFound('no such account');
    const now = idn.clock();
    await disableMfa(tx, targetId, now);
    const revoked = await revokeAccountSessions(tx, targetId, 'mfa-reset', now);
    await recordAudit(idn, tx, meta, {
      action: 'mfa.disable',
      actor: accountActor(actor.id),
      target: accountTarget(targetId),
      details: { sessionsRevoked: revoked },
    });
  });
}

/** Support or admin ends every session of an account (a customer reports a stolen device). */
export async function revokeSessionsOf(idn: Identity, actor: Caller, targetId: string, meta: RequestMeta) {
  return idn.db.tx(async (tx) => {
    const account = await findAccount(tx, targetId);
    if (!account) throw new NotFound('no such account');
    const revoked = await revokeAccountSessions(tx, targetId, 'revoked-by-staff', idn.clock());
    await recordAudit(idn, tx, meta, {
      action: 'session.revoke',
      actor: accountActor(actor.id),
      target: accountTarget(targetId),
      details: { sessionsRevoked: revoked },
    });
    return revoked;
  });
}

export async function rotateKeys(idn: Identity, actor: Caller, immediate: boolean, meta: RequestMeta) {
  const key = await idn.keys.rotate({ immediate });
  await recordAudit(idn, idn.db, meta, {
    action: 'keys.rotate',
    actor: accountActor(actor.id),
    target: { type: 'signing-key', id: key.kid },
    details: { immediate, activatesAt: key.activatesAt.toISOString() },
  });
  return key;
}

/**
 * First start: with BOOTSTRAP_ADMIN_* set and no admin yet, create one (verified, password set,
 * MFA to enrol at first sign-in). Serialized so two replicas starting together make one.
 */
export async function bootstrapAdmin(idn: Identity, email: string | undefined, password: string | undefined) {
  if (!email || !password) return false;
  const passwordHash = await idn.hasher.hash(password);
  return idn.db.tx(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('identity:bootstrap-admin'))`);
    if (await anyAdmin(tx)) return false;
    const id = idn.newId();
    const now = idn.clock();
    const created = await insertAccount(tx, {
      id,
      email: normalizeEmail(email),
      passwordHash,
      roles: ['admin'],
      verifiedAt: now,
      now,
    });
    if (!created) {
      idn.log.warn({ email }, 'BOOTSTRAP_ADMIN_EMAIL belongs to an existing non-admin account; no admin created');
      return false;
    }
    await recordAudit(idn, tx, undefined, {
      action: 'account.bootstrap-admin',
      actor: system,
      target: accountTarget(id),
    });
    idn.log.info({ email }, 'bootstrap admin created; enrol MFA at first sign-in');
    return true;
  });
}
