import type { Queryable } from '@storefront/kit';

export interface Session {
  readonly id: string;
  readonly accountId: string;
  readonly amr: string[];
  readonly mfa: boolean;
  readonly mode: 'bearer' | 'cookie';
  readonly csrfHash: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

const COLUMNS = `s.id, s.account_id, s.amr, s.mfa, s.mode, s.csrf_hash, s.ip, s.user_agent, s.created_at,
  s.last_used_at, s.expires_at, s.revoked_at`;

interface Row {
  id: string;
  account_id: string;
  amr: string[];
  mfa: boolean;
  mode: 'bearer' | 'cookie';
  csrf_hash: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const toSession = (r: Row): Session => ({
  id: r.id,
  accountId: r.account_id,
  amr: r.amr,
  mfa: r.mfa,
  mode: r.mode,
  csrfHash: r.csrf_hash,
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export async function insertSession(q: Queryable, s: Omit<Session, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id, account_id, amr, mfa, mode, csrf_hash, ip, user_agent, created_at, last_used_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
    [s.id, s.accountId, s.amr, s.mfa, s.mode, s.csrfHash, s.ip, s.userAgent, s.createdAt, s.expiresAt],
  );
}

export async function insertRefreshToken(
  q: Queryable,
  t: { hash: Buffer; sessionId: string; generation: number; now: Date; expiresAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [t.hash, t.sessionId, t.generation, t.now, t.expiresAt],
  );
}

export interface RefreshRow {
  readonly session: Session;
  readonly generation: number;
  readonly tokenExpiresAt: Date;
  readonly tokenUsed: boolean;
}

/** The token and its session, locked: two concurrent refreshes with one token serialize here. */
export async function findRefreshForUpdate(q: Queryable, hash: Buffer): Promise<RefreshRow | undefined> {
  const r = await q.query<Row & { generation: number; token_expires_at: Date; used_at: Date | null }>(
    `SELECT ${COLUMNS}, t.generation, t.expires_at AS token_expires_at, t.used_at
     FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
     WHERE t.token_hash = $1 FOR UPDATE`,
    [hash],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    session: toSession(row),
    generation: row.generation,
    tokenExpiresAt: row.token_expires_at,
    tokenUsed: row.used_at !== null,
  };
}

export async function markRefreshUsed(q: Queryable, hash: Buffer, sessionId: string, now: Date): Promise<void> {
  await q.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [hash, now]);
  await q.query('UPDATE sessions SET last_used_at = $2 WHERE id = $1', [sessionId, now]);
}

export async function revokeSession(q: Queryable, id: string, reason: string, now: Date): Promise<boolean> {
  const r = await q.query(
    'UPDATE sessions SET revoked_at = $3, revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
    [id, reason, now],
  );
  return r.rowCount === 1;
}

/** Revokes every live session of an account; how many. */
export async function revokeAccountSessions(q: Queryable, accountId: string, reason: string, now: Date) {
  const r = await q.query(
    'UPDATE sessions SET revoked_at = $3, revoke_reason = $2 WHERE account_id = $1 AND revoked_at IS NULL',
    [accountId, reason, now],
  );
  return r.rowCount ?? 0;
}

/** Revokes every live session of an account except `keepId`; how many. */
export async function revokeOtherSessions(q: Queryable, accountId: string, keepId: string, reason: string, now: Date) {
  const r = await q.query(
    `UPDATE sessions SET revoked_at = $4, revoke_reason = $3
     WHERE account_id = $1 AND id <> $2 AND revoked_at IS NULL`,
    [accountId, keepId, reason, now],
  );
  return r.rowCount ?? 0;
}

/** Live sessions of one account, newest first. */
export async function listSessions(q: Queryable, accountId: string, now: Date): Promise<Session[]> {
  const r = await q.query<Row>(
    `SELECT ${COLUMNS} FROM sessions s WHERE s.account_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
     ORDER BY s.created_at DESC LIMIT 100`,
    [accountId, now],
  );
  return r.rows.map(toSession);
}

/** One session, only if it belongs to `accountId` (anyone else's is "not found"). */
export async function findOwnSession(q: Queryable, id: string, accountId: string): Promise<Session | undefined> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM sessions s WHERE s.id = $1 AND s.account_id = $2`, [
    id,
    accountId,
  ]);
  return r.rows[0] && toSession(r.rows[0]);
}

export async function findSession(q: Queryable, id: string): Promise<Session | undefined> {
  const r = await q.query<Row>(`SELECT ${COLUMNS} FROM sessions s WHERE s.id = $1`, [id]);
  return r.rows[0] && toSession(r.rows[0]);
}
