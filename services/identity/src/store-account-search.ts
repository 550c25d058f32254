import type { Queryable, Role } from '@storefront/kit';

/**
 * Staff read of accounts: what support needs to find and help a person, never a secret (no
 * password hash, no MFA secret, no recovery codes: those columns are not even selected).
 */
export interface AccountSummary {
  readonly id: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly roles: Role[];
  readonly emailVerifiedAt: Date | null;
  readonly mfaEnabledAt: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

export interface AccountDetail extends AccountSummary {
  readonly updatedAt: Date;
  /** Newest session start (a sign-in creates a session); null if it never signed in. */
  readonly lastSignInAt: Date | null;
  /** Newest use of any session (a refresh). */
  readonly lastActiveAt: Date | null;
  readonly liveSessions: number;
}

export interface AccountSearch {
  /** Lower-case email prefix (printable ASCII). */
  readonly prefix?: string | undefined;
  readonly role?: Role | undefined;
  /** Only emails after this one (byte order): the keyset cursor. */
  readonly after?: string | undefined;
  readonly limit: number;
}

const SUMMARY = 'id, email, display_name, roles, email_verified_at, mfa_enabled_at, disabled_at, created_at';

interface SummaryRow {
  id: string;
  email: string;
  display_name: string | null;
  roles: Role[];
  email_verified_at: Date | null;
  mfa_enabled_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
}

const toSummary = (r: SummaryRow): AccountSummary => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  roles: r.roles,
  emailVerifiedAt: r.email_verified_at,
  mfaEnabledAt: r.mfa_enabled_at,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

/**
 * The first string after every string that starts with `prefix`, in byte order: the prefix with
 * its last character moved one code point on (the search allows printable ASCII only, so this is
 * never past U+007F).
 */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** Accounts by email in byte order; `limit + 1` rows are read so the caller knows whether there is a next page. */
export async function searchAccounts(q: Queryable, s: AccountSearch): Promise<AccountSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    let text = sql;
    for (const v of values) {
      params.push(v);
      text = text.replace('?', `$${params.length}`);
    }
    where.push(text);
  };
  if (s.prefix) add('email COLLATE "C" >= ? AND email COLLATE "C" < ?', s.prefix, prefixEnd(s.prefix));
  if (s.after !== undefined) add('email COLLATE "C" > ?', s.after);
  if (s.role) add('? = ANY (roles)', s.role);
  params.push(s.limit + 1);
  const r = await q.query<SummaryRow>(
    `SELECT ${SUMMARY} FROM accounts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY email COLLATE "C" LIMIT $${params.length}`,
    params,
  );
  return r.rows.map(toSummary);
}

/** One account with what its sessions say about it (sign-ins, activity, how many are live). */
export async function accountDetail(q: Queryable, id: string, now: Date): Promise<AccountDetail | undefined> {
  const r = await q.query<
    SummaryRow & { updated_at: Date; last_sign_in_at: Date | null; last_active_at: Date | null; live: number }
  >(
    `SELECT ${SUMMARY.split(', ')
      .map((c) => `a.${c}`)
      .join(', ')}, a.updated_at,
       (SELECT max(s.created_at) FROM sessions s WHERE s.account_id = a.id) AS last_sign_in_at,
       (SELECT max(s.last_used_at) FROM sessions s WHERE s.account_id = a.id) AS last_active_at,
       (SELECT count(*)::int FROM sessions s
         WHERE s.account_id = a.id AND s.revoked_at IS NULL AND s.expires_at > $2) AS live
     FROM accounts a WHERE a.id = $1`,
    [id, now],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    ...toSummary(row),
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
    lastActiveAt: row.last_active_at,
    liveSessions: row.live,
  };
}
