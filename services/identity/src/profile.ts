import { type Caller, NotFound } from '@storefront/kit';
import { accountActor, accountTarget, recordAudit } from './audit.ts';
import type { Identity } from './context.ts';
import type { RequestMeta } from './request-meta.ts';
import { findAccount, setDisplayName } from './store.ts';

/** The caller changes their own profile; an unchanged value is not written or audited. */
export async function updateProfile(
  idn: Identity,
  caller: Caller,
  change: { displayName: string | null },
  meta: RequestMeta,
): Promise<void> {
  await idn.db.tx(async (tx) => {
    const a = await findAccount(tx, caller.id, { forUpdate: true });
    if (!a) throw new NotFound('no such account');
    if (a.displayName === change.displayName) return;
    await setDisplayName(tx, caller.id, change.displayName, idn.clock());
    await recordAudit(idn, tx, meta, {
      action: 'profile.update',
      actor: accountActor(caller.id),
      target: accountTarget(caller.id),
      // Which fields changed, never their values: the log outlives a customer's wish to be renamed.
      details: { fields: ['displayName'], cleared: change.displayName === null },
    });
  });
}
