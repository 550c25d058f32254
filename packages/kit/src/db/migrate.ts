import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './pool.ts';
import { quoteIdent } from './pool.ts';

export interface MigrationResult {
  readonly applied: string[];
  readonly skipped: number;
}

const NAME = /^\d{3,}_[a-z0-9_]+\.sql$/;

/**
 * Forward-only SQL migrations: files `NNN_name.sql` (from one or more folders, e.g. the kit's
 * `000_kit_*` bus tables and the service's own) applied in name order, each in its own transaction,
 * recorded with a checksum. Concurrent starters serialize on an advisory lock keyed by the schema,
 * so two replicas booting together apply each file once. Editing an applied file is refused.
 */
export async function migrate(db: Db, dirs: string | readonly string[]): Promise<MigrationResult> {
  const found = new Map<string, string>();
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      if (!NAME.test(f)) continue;
      if (found.has(f)) throw new Error(`migration ${f} exists in two folders`);
      found.set(f, join(dir, f));
    }
  }
  const files = [...found.keys()].sort();
  const schema = quoteIdent(db.schema);
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${db.schema}`]);
    // A service role owns its schema but may not create schemas in the database, and Postgres
    // checks that right even for CREATE SCHEMA IF NOT EXISTS: look first.
    const present = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [db.schema]);
    if (present.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Map(
      (
        await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${schema}.schema_migrations`)
      ).rows.map((r) => [r.name, r.checksum]),
    );
    const applied: string[] = [];
    for (const file of files) {
      const sql = await readFile(found.get(file) ?? '', 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`migration ${db.schema}/${file} was edited after it was applied; add a new file instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(sql);
        await client.query(`INSERT INTO ${schema}.schema_migrations (name, checksum) VALUES ($1, $2)`, [
          file,
          checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${db.schema}/${file} failed: ${(err as Error).message}`);
      }
      applied.push(file);
    }
    return { applied, skipped: files.length - applied.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${db.schema}`]).catch(() => {});
    client.release();
  }
}
