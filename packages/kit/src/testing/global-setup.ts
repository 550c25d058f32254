import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Vitest global setup: one database, Redis key prefix and NATS subject/stream prefix per test
 * run, so concurrent runs on one machine never see each other's data; all removed afterwards.
 * Tests read them through `testEnv()`.
 */
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export default async function setup(): Promise<() => Promise<void>> {
  const runId = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `sf_${runId}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${database}`;
  process.env.TEST_RUN_ID = runId;
  process.env.TEST_DATABASE_URL = dbUrl.toString();
  process.env.TEST_ADMIN_DATABASE_URL = ADMIN_URL;
  process.env.TEST_REDIS_URL = REDIS_URL;
  process.env.TEST_REDIS_PREFIX = `${runId}:`;
  process.env.TEST_NATS_URL = NATS_URL;

  return async function teardown() {
    const a = new pg.Client({ connectionString: ADMIN_URL });
    await a.connect();
    // The run's database, and any a test made for itself under the same prefix (e2e platforms).
    const dbs = await a.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${database}%`,
    ]);
    for (const d of dbs.rows) await a.query(`DROP DATABASE IF EXISTS "${d.datname}" WITH (FORCE)`);
    const roles = await a.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname LIKE $1', [
      `${runId}%`,
    ]);
    for (const r of roles.rows) await a.query(`DROP ROLE IF EXISTS "${r.rolname}"`);
    await a.end();

    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${runId}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();

    const nc = await connect({ servers: NATS_URL });
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      if (name.toLowerCase().startsWith(runId)) await jsm.streams.delete(name);
    }
    await nc.close();
  };
}
