import { fileURLToPath } from 'node:url';
import { newId } from '@storefront/contracts';
import {
  buildApp,
  busMigrationsDir,
  connectBus,
  createMetrics,
  createRedis,
  loadConfig,
  migrate,
  type Redis,
} from '@storefront/kit';
import { jsonOf, silentLog, testDb, testEnv, testEventPrefix, testRedisPrefix } from '@storefront/kit/testing';
import { createApp } from './app.ts';
import { identityConfig } from './config.ts';
import { base32Decode, totpAt } from './totp.ts';

/**
 * A real identity for tests: its own schema, Redis prefix and event prefix, light argon2 (the real
 * parameters are tested once in passwords.test.ts), and a clock the test can move (TOTP steps).
 */
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export async function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
}

export interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: assertions probe arbitrary JSON.
  readonly body: any;
  readonly headers: Headers;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Record<string, string>;
  readonly ip?: string;
}

export async function startIdentity(overrides: Record<string, string> = {}) {
  const env = testEnv();
  const db = testDb('identity');
  await migrate(db, [busMigrationsDir, migrationsDir]);
  const redis = createRedis({ url: env.redisUrl, prefix: testRedisPrefix(), commandTimeoutMs: 2_000 });
  await redisReady(redis);
  const log = silentLog();
  const bus = await connectBus({
    service: 'identity',
    natsUrl: env.natsUrl,
    prefix: testEventPrefix(),
    db,
    log,
    metrics: createMetrics({ service: 'identity-test' }),
    relayPollMs: 100,
  });
  const config = loadConfig(identityConfig, {
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: '64',
    ARGON2_TIME_COST: '1',
    HASH_CONCURRENCY: '4',
    LOGIN_IP_LIMIT_PER_MINUTE: '10000',
    KEY_PREPUBLISH_SECONDS: '0',
    JWT_ISSUER: 'https://identity.test',
    JWT_AUDIENCE: 'storefront-test',
    ...overrides,
  });
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const { app, identity } = createApp({ db, redis, outbox: bus.outbox, log, clock, newId: () => newId(), config });
  await identity.keys.ensure();
  const kit = buildApp(app, { service: 'identity', log });

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'x-forwarded-for': o.ip ?? '203.0.113.7', ...o.headers };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const res = await kit.app.request(path, {
      method,
      headers,
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  /** The newest link token sent to `email` on `subject`, read from the outbox like notifications would. */
  const linkToken = async (email: string, subject: string): Promise<string> => {
    const r = await db.query<{ payload: { token: string } }>(
      `SELECT payload FROM outbox WHERE subject = $1 AND payload->>'email' = $2 ORDER BY seq DESC LIMIT 1`,
      [subject, email],
    );
    const token = r.rows[0]?.payload.token;
    if (!token) throw new Error(`no ${subject} for ${email}`);
    return token;
  };

  const h = {
    app: kit.app,
    identity,
    config,
    db,
    redis,
    bus,
    call,
    linkToken,
    now: () => clock().getTime(),
    /** Moves identity's clock (not Redis TTLs); TOTP tests step past the replay guard this way. */
    advance: (ms: number) => {
      offsetMs += ms;
    },
    totp: (secret: string) => totpAt(base32Decode(secret), clock().getTime()),
    /** Sign up and follow the link: a customer ready to sign in. */
    async customer(email: string, password = 'correct horse battery') {
      expect2xx(await call('POST', '/register', { body: { email, password } }));
      expect2xx(await call('POST', '/email/verify', { body: { token: await linkToken(email, VERIFY) } }));
      const login = await call('POST', '/login', { body: { email, password } });
      expect2xx(login);
      const me = await call('GET', '/me', { token: login.body.accessToken });
      return { id: me.body.id as string, email, password, ...login.body };
    },
    async close() {
      await bus.close();
      redis.disconnect();
      await db.drop();
    },
  };
  return h;
}

export type Harness = Awaited<ReturnType<typeof startIdentity>>;

export const VERIFY = 'identity.email-verification-requested.v1';
export const RESET = 'identity.password-reset-requested.v1';

function expect2xx(r: Reply): void {
  if (r.status >= 300) throw new Error(`expected success, got ${r.status}: ${JSON.stringify(r.body)}`);
}

export { jsonOf };
