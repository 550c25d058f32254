import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testDb, testEnv, uniqueSuffix } from '../testing/index.ts';
import { migrate } from './migrate.ts';
import { createDb } from './pool.ts';
import { provisionSchema, urlForRole } from './provision.ts';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migrations', () => {
  const db = testDb('mig');
  afterAll(() => db.drop());

  it('applies files in order once, even with concurrent starters', async () => {
    const dir = migrationsDir({
      '001_items.sql': 'CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0));',
      '002_seed.sql': 'INSERT INTO items VALUES (1, 5);',
      'notes.txt': 'ignored',
    });
    const other = createDb({ url: testEnv().databaseUrl, schema: db.schema });
    const [a, b] = await Promise.all([migrate(db, dir), migrate(other, dir)]);
    await other.close();
    expect([...a.applied, ...b.applied].sort()).toEqual(['001_items.sql', '002_seed.sql']);
    expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0]?.n).toBe(1);
    expect((await migrate(db, dir)).applied).toEqual([]);
  });

  it('refuses an edited migration and rolls back a failing one', async () => {
    const dir = migrationsDir({ '001_items.sql': 'CREATE TABLE items (id int PRIMARY KEY);' });
    await expect(migrate(db, dir)).rejects.toThrow(/edited after it was applied/);
    const bad = migrationsDir({
      '001_items.sql': 'CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0));',
      '002_seed.sql': 'INSERT INTO items VALUES (1, 5);',
      '003_bad.sql': 'CREATE TABLE half (id int); SELECT * FROM nowhere;',
    });
    await expect(migrate(db, bad)).rejects.toThrow(/003_bad.sql failed/);
    const half = await db.query("SELECT to_regclass('half') AS t");
    expect(half.rows[0]?.t).toBeNull();
  });

  it('runs a transaction atomically', async () => {
    await expect(
      db.tx(async (tx) => {
        await tx.query('UPDATE items SET qty = qty - 1 WHERE id = 1');
        await tx.query('UPDATE items SET qty = qty - 10 WHERE id = 1');
      }),
    ).rejects.toThrow(/check constraint/);
    expect((await db.query('SELECT qty FROM items WHERE id = 1')).rows[0]?.qty).toBe(5);
  });
});

describe('per-service roles', () => {
  it('gives a service its own schema and no access to another service', async () => {
    const env = testEnv();
    const run = env.runId;
    const [a, b] = [`${run}_a${uniqueSuffix()}`, `${run}_b${uniqueSuffix()}`];
    await provisionSchema({ adminUrl: env.databaseUrl, schema: a, role: a, password: 'pw-a' });
    await provisionSchema({ adminUrl: env.databaseUrl, schema: b, role: b, password: 'pw-b' });
    await provisionSchema({ adminUrl: env.databaseUrl, schema: a, role: a, password: 'pw-a' });
    const dbA = createDb({ url: urlForRole(env.databaseUrl, a, 'pw-a'), schema: a });
    const dbB = createDb({ url: urlForRole(env.databaseUrl, b, 'pw-b'), schema: b });
    try {
      const dir = migrationsDir({ '001_secrets.sql': 'CREATE TABLE secrets (v text);' });
      expect((await migrate(dbA, dir)).applied).toEqual(['001_secrets.sql']);
      await dbA.query("INSERT INTO secrets VALUES ('mine')");
      await expect(dbB.query(`SELECT * FROM "${a}".secrets`)).rejects.toThrow(/permission denied/);
      await expect(dbB.query('CREATE TABLE public.sneaky (v int)')).rejects.toThrow(/permission denied/);
      expect((await dbA.query('SELECT v FROM secrets')).rows).toEqual([{ v: 'mine' }]);
    } finally {
      await dbA.close();
      await dbB.close();
      const admin = new pg.Client({ connectionString: env.databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA "${a}" CASCADE; DROP SCHEMA "${b}" CASCADE`);
      await admin.end();
    }
  });
});

describe('connection loss', () => {
  it('survives a backend terminated mid-transaction and keeps serving', async () => {
    const db = testDb('term');
    try {
      const err = await db
        .tx(async (tx) => {
          const pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
          const admin = new pg.Client({ connectionString: testEnv().databaseUrl });
          await admin.connect();
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
          await admin.end();
          await new Promise((r) => setTimeout(r, 100));
          await tx.query('SELECT 1');
        })
        .catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((await db.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
    } finally {
      await db.drop();
    }
  });
});
