import type { Queryable, Role } from '@storefront/kit';

export interface Account {
  readonly id: string;
  readonly email: string;
  /** The name to greet them by, if they gave one. */
  readonly displayName: string | null;
  readonly emailVerifiedAt: Date | null;
  readonly passwordHash: string | null;
  readonly roles: Role[];
  /** Sealed TOTP secret (see secrets.ts). */
  readonly mfaSecret: string | null;
  readonly mfaEnabledAt: Date | null;
  readonly mfaLastStep: number | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

const COLUMNS = `id, email, display_name, email_verified_at, password_hash, roles, mfa_secret, mfa_enabled_at, mfa_last_step,
  disabled_at, created_at`;

interface Row {
  id: string;
  email: string;
  display_name: string | null;
  email_verified_at: Date | null;
  password_hash: string | null;
  roles: Role[];
  mfa_secret: string | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: number | null;
  disabled_at: Date | null;
  created_at: Date;
}

const toAccount = (r: Row): Account => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  emailVerifiedAt: r.email_verified_at,
  passwordHash: r.password_hash,
  roles: r.roles,
  mfaSecret: r.mfa_secret,
  mfaEnabledAt: r.mfa_enabled_at,
  mfaLastStep: r.mfa_last_step,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

export async function findAccountByEmail(q: Queryable, email: string): Promise<Account | undefined> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM accounts WHERE email = $1`, [email]);
  return r.rows[0] && toAccount(r.rows[0]);
}

export async function findAccount(q: Queryable, id: string, opts: { forUpdate?: boolean } = {}) {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM accounts WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return r.rows[0] && toAccount(r.rows[0]);
}

export interface NewAccount {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly roles: readonly Role[];
  readonly verifiedAt: Date | null;
  readonly now: Date;
}

/** Inserts unless the email is taken; true when this call created it. */
export async function insertAccount(q: Queryable, a: NewAccount): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO accounts (id, email, password_hash, roles, email_verified_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (email) DO NOTHING`,
    [a.id, a.email, a.passwordHash, a.roles, a.verifiedAt, a.now],
  );
  return r.rowCount === 1;
}

/** Sets (or with null clears) the display name; false when there is no such account. */
export async function setDisplayName(q: Queryable, id: string, name: string | null, now: Date): Promise<boolean> {
  const r = await q.query('UPDATE accounts SET display_name = $2, updated_at = $3 WHERE id = $1', [id, name, now]);
  return r.rowCount === 1;
}

/** Sets the hash; with `expected`, only if the stored hash is still that one (a rehash must not undo a reset). */
export async function setPasswordHash(q: Queryable, id: string, hash: string, now: Date, expected?: string) {
  const r = await q.query(
    `UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1${expected ? ' AND password_hash = $4' : ''}`,
    expected ? [id, hash, now, expected] : [id, hash, now],
  );
  return r.rowCount === 1;
}

export async function markEmailVerified(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(
    'UPDATE accounts SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $2 WHERE id = $1',
    [id, now],
  );
}

export async function setRoles(q: Queryable, id: string, roles: readonly Role[], now: Date): Promise<boolean> {
  const r = await q.query('UPDATE accounts SET roles = $2, updated_at = $3 WHERE id = $1', [id, roles, now]);
  return r.rowCount === 1;
}

export async function enableMfa(q: Queryable, id: string, sealedSecret: string, step: number, now: Date) {
  await q.query(
    `UPDATE accounts SET mfa_secret = $2, mfa_enabled_at = $4, mfa_last_step = $3, updated_at = $4 WHERE id = $1`,
    [id, sealedSecret, step, now],
  );
}

export async function disableMfa(q: Queryable, id: string, now: Date): Promise<boolean> {
  await q.query('DELETE FROM recovery_codes WHERE account_id = $1', [id]);
  const r = await q.query(
    `UPDATE accounts SET mfa_secret = NULL, mfa_enabled_at = NULL, mfa_last_step = NULL, updated_at = $2
     WHERE id = $1`,
    [id, now],
  );
  return r.rowCount === 1;
}

/** Records a TOTP step as spent; false when it (or a later one) already was — a replay. */
export async function claimTotpStep(q: Queryable, id: string, step: number): Promise<boolean> {
  const r = await q.query(
    'UPDATE accounts SET mfa_last_step = $2 WHERE id = $1 AND (mfa_last_step IS NULL OR mfa_last_step < $2)',
    [id, step],
  );
  return r.rowCount === 1;
}

export async function anyAdmin(q: Queryable): Promise<boolean> {
  const r = await q.query(`SELECT 1 FROM accounts WHERE 'admin' = ANY (roles) LIMIT 1`);
  return (r.rowCount ?? 0) > 0;
}

export async function replaceRecoveryCodes(q: Queryable, id: string, hashes: readonly Buffer[]): Promise<void> {
  await q.query('DELETE FROM recovery_codes WHERE account_id = $1', [id]);
  await q.query('INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::bytea[])', [id, hashes]);
}

/** Spends a recovery code; false when it is unknown or already used. */
export async function useRecoveryCode(q: Queryable, id: string, hash: Buffer, now: Date): Promise<boolean> {
  const r = await q.query(
    'UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL',
    [id, hash, now],
  );
  return r.rowCount === 1;
}
