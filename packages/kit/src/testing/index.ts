import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../db/pool.ts';
import { createLogger } from '../log.ts';

/** What the global setup made for this run. */
export function testEnv() {
  const get = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set: run tests through vitest (the global setup sets it)`);
    return v;
  };
  return {
    runId: get('TEST_RUN_ID'),
    databaseUrl: get('TEST_DATABASE_URL'),
    adminDatabaseUrl: get('TEST_ADMIN_DATABASE_URL'),
    redisUrl: get('TEST_REDIS_URL'),
    redisPrefix: get('TEST_REDIS_PREFIX'),
    natsUrl: get('TEST_NATS_URL'),
  };
}

/** A short random suffix, lower case, safe in SQL identifiers, Redis keys and subjects. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A fresh schema in the run's database; dropped by the caller's `close` (or with the database). */
export function testDb(prefix = 's'): Db & { drop(): Promise<void> } {
  const schema = `${prefix}_${uniqueSuffix()}`;
  const db = createDb({ url: testEnv().databaseUrl, schema, max: 20 });
  return Object.assign(db, {
    async drop() {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
      await db.close();
    },
  });
}

/** A unique event prefix (subjects and stream) for one test file; the global teardown deletes its stream. */
export function testEventPrefix(): string {
  return `${testEnv().runId}_${uniqueSuffix()}`;
}

/** A unique Redis key prefix under the run's prefix. */
export function testRedisPrefix(): string {
  return `${testEnv().redisPrefix}${uniqueSuffix()}:`;
}

export const silentLog = () => createLogger({ service: 'test', level: 'silent' });

/** A response body for assertions, which probe arbitrary JSON. */
// biome-ignore lint/suspicious/noExplicitAny: assertions on response bodies are the point of a test.
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}

/**
 * Access tokens for tests of services that verify callers: a fresh ES256 key, a verifier that
 * trusts only it, and signers for a customer and for staff (with MFA unless told otherwise).
 */
export async function testAuth() {
  const { makeKey, sign, ISS, AUD } = await import('../auth/test-keys.ts');
  const { createVerifier } = await import('../auth/verify.ts');
  const { createLocalJWKSet } = await import('jose');
  const key = await makeKey(`test-${uniqueSuffix()}`);
  const verifier = createVerifier({ jwks: createLocalJWKSet({ keys: [key.publicJwk] }), issuer: ISS, audience: AUD });
  return {
    verifier,
    issuer: ISS,
    audience: AUD,
    customerToken: (subject = 'acct-1') => sign(key, { subject, claims: { roles: ['customer'] } }),
    staffToken: (roles: string[] = ['admin'], opts: { mfa?: boolean } = {}) =>
      sign(key, {
        claims: { roles, mfa: opts.mfa ?? true, amr: opts.mfa === false ? ['pwd'] : ['pwd', 'otp'] },
      }),
  };
}
