import { createDb } from '@storefront/kit';

/**
 * The bench target for identity-login: the real identity (its main.ts, real argon2id OWASP
 * parameters, Postgres, Redis, NATS) in a database of its own, with the per-address limit and
 * the lockout out of the way so the figures show hashing, not refusals.
 */
const admin = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'bench_identity';
const client = createDb({ url: admin, schema: 'public', max: 1 });
const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${dbName}`);
await client.close();

const url = new URL(admin);
url.pathname = `/${dbName}`;
Object.assign(process.env, {
  DATABASE_URL: url.toString(),
  REDIS_PREFIX: 'bench-identity:',
  EVENT_PREFIX: 'benchidentity',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOGIN_IP_LIMIT_PER_MINUTE: '100000',
  LOGIN_LOCK_THRESHOLD: '100',
  COOKIE_SECURE: 'false',
});
await import('../../../services/identity/src/main.ts');
