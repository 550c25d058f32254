import pg from 'pg';
import { quoteIdent } from './pool.ts';

export interface ProvisionOptions {
  /** A connection with rights to create roles and schemas (the database owner or a superuser). */
  readonly adminUrl: string;
  readonly schema: string;
  readonly role: string;
  readonly password: string;
}

/**
 * Gives a service its own login role and a schema owned by it, and nothing else: the role cannot
 * create objects in `public` or touch another service's schema. Idempotent; the password is reset
 * each time so rotating the secret and re-running is how credentials change.
 */
export async function provisionSchema(opts: ProvisionOptions): Promise<void> {
  const role = quoteIdent(opts.role);
  const schema = quoteIdent(opts.schema);
  const client = new pg.Client({ connectionString: opts.adminUrl });
  await client.connect();
  try {
    // Roles are cluster-wide and CREATE ROLE has no IF NOT EXISTS; serialize concurrent callers.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`provision:${opts.role}`]);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [opts.role]);
    const pw = client.escapeLiteral(opts.password);
    if (exists.rowCount === 0) {
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${pw} NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    } else {
      await client.query(`ALTER ROLE ${role} LOGIN PASSWORD ${pw}`);
    }
    const db = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(db)} TO ${role}`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${role}`);
    await client.query(`ALTER SCHEMA ${schema} OWNER TO ${role}`);
    await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`provision:${opts.role}`]);
  } finally {
    await client.end();
  }
}

/** The same URL with another user and password: how a service's own connection string is made. */
export function urlForRole(baseUrl: string, role: string, password: string): string {
  const u = new URL(baseUrl);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}
