import type { Queryable } from '@storefront/kit';

export type OneTimePurpose = 'verify-email' | 'reset-password';

/** Stores a link token's hash; earlier open tokens of the same purpose stop working (only the newest link is good). */
export async function insertOneTimeToken(
  q: Queryable,
  t: {
    hash: Buffer;
    accountId: string;
    purpose: OneTimePurpose;
    now: Date;
    expiresAt: Date;
    passwordHash?: string;
    displayName?: string | null;
  },
): Promise<void> {
  await q.query('UPDATE one_time_tokens SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL', [
    t.accountId,
    t.purpose,
    t.now,
  ]);
  await q.query(
    `INSERT INTO one_time_tokens (token_hash, account_id, purpose, created_at, expires_at, password_hash, display_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [t.hash, t.accountId, t.purpose, t.now, t.expiresAt, t.passwordHash ?? null, t.displayName ?? null],
  );
}

/** Spends a token: whom it was for, or undefined when unknown, used, expired or for another purpose. */
export async function consumeOneTimeToken(
  q: Queryable,
  hash: Buffer,
  purpose: OneTimePurpose,
  now: Date,
): Promise<{ accountId: string; passwordHash: string | null; displayName: string | null } | undefined> {
  const r = await q.query<{ account_id: string; password_hash: string | null; display_name: string | null }>(
    `UPDATE one_time_tokens SET used_at = $3
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
     RETURNING account_id, password_hash, display_name`,
    [hash, purpose, now],
  );
  const row = r.rows[0];
  return row && { accountId: row.account_id, passwordHash: row.password_hash, displayName: row.display_name };
}
