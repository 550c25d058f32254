import { fileURLToPath } from 'node:url';
import { newId } from '@storefront/contracts';
import {
  type Bus,
  buildApp,
  busMigrationsDir,
  connectBus,
  createMetrics,
  createVerifier,
  type Db,
  migrate,
  type Role,
} from '@storefront/kit';
import { silentLog, testDb, testEnv, testEventPrefix } from '@storefront/kit/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createApp, type InventoryDeps } from './app.ts';
import type { Core } from './core.ts';
import type { Location } from './domain.ts';
import { SERVICE_TOKEN_HEADER } from './guards.ts';

/**
 * Inventory as its tests run it: a fresh schema migrated like production (kit bus tables plus
 * ours), the real outbox (events land in the schema's outbox table, where tests read them), a
 * clock tests can move, and staff tokens signed by a test key that the app's verifier trusts.
 */
export const SERVICE_TOKEN = 'test-service-token-0123456789';
const ISSUER = 'https://identity.test';
const AUDIENCE = 'storefront-test';
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export type Who = 'service' | 'anonymous' | { roles: Role[]; mfa?: boolean } | { token: string };

export interface TestInventory {
  readonly app: ReturnType<typeof buildApp>['app'];
  readonly db: Db;
  readonly core: Core;
  /** Not started: a test that wants events on NATS calls `bus.start()` (the relay). */
  readonly bus: Bus;
  readonly eventPrefix: string;
  /** Moves the app's clock forward. */
  advance(ms: number): void;
  call(method: string, path: string, opts?: { body?: unknown; as?: Who }): Promise<Response>;
  token(roles: Role[], mfa?: boolean): Promise<string>;
  /** Events recorded in the outbox so far, oldest first. */
  events(subject?: string): Promise<{ subject: string; payload: Record<string, unknown> }[]>;
  addLocation(l: Partial<Location> & { code: string }): Promise<void>;
  setStock(sku: string, location: string, onHand: number, reserved?: number): Promise<void>;
  level(sku: string, location: string): Promise<{ onHand: number; reserved: number } | undefined>;
  close(): Promise<void>;
}

export async function migratedDb(): Promise<Db & { drop(): Promise<void> }> {
  const db = testDb('inv');
  await migrate(db, [busMigrationsDir, migrationsDir]);
  return db;
}

export async function testInventory(): Promise<TestInventory> {
  const db = await migratedDb();
  const log = silentLog();
  const eventPrefix = testEventPrefix();
  const bus: Bus = await connectBus({
    service: 'inventory',
    natsUrl: testEnv().natsUrl,
    prefix: eventPrefix,
    db,
    log,
    metrics: createMetrics({ service: 'inventory', runtime: false }),
    relayPollMs: 100,
    shutdownGraceMs: 1_000,
  });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' };
  const verifier = createVerifier({ jwks: createLocalJWKSet({ keys: [jwk] }), issuer: ISSUER, audience: AUDIENCE });
  let offset = 0;
  const core: Core = { db, outbox: bus.outbox, clock: () => new Date(Date.now() + offset), newId: () => newId() };
  const deps: InventoryDeps = { ...core, verifier, serviceToken: SERVICE_TOKEN, log };
  const { app } = buildApp(createApp(deps), { service: 'inventory', log });

  const token = (roles: Role[], mfa = true) =>
    new SignJWT({ sid: 'sess-1', roles, mfa, amr: mfa ? ['pwd', 'otp'] : ['pwd'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(`acct-${roles.join('-') || 'none'}`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);

  const headersFor = async (who: Who): Promise<Record<string, string>> => {
    if (who === 'anonymous') return {};
    if (who === 'service') return { [SERVICE_TOKEN_HEADER]: SERVICE_TOKEN };
    if ('token' in who) return { authorization: `Bearer ${who.token}` };
    return { authorization: `Bearer ${await token(who.roles, who.mfa)}` };
  };

  return {
    app,
    db,
    core,
    bus,
    eventPrefix,
    advance(ms) {
      offset += ms;
    },
    async call(method, path, opts = {}) {
      const headers = await headersFor(opts.as ?? 'service');
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      return app.request(path, {
        method,
        headers,
        ...(opts.body === undefined
          ? {}
          : { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
      });
    },
    token,
    async events(subject) {
      const { rows } = await db.query<{ subject: string; payload: Record<string, unknown> }>(
        `SELECT subject, payload FROM outbox WHERE $1::text IS NULL OR subject = $1 ORDER BY seq`,
        [subject ?? null],
      );
      return rows;
    },
    async addLocation(l) {
      const kind = l.kind ?? (l.code.startsWith('store') ? 'store' : 'warehouse');
      await db.query(
        `INSERT INTO locations (code, name, kind, address, pickup_enabled, priority, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now(), now())`,
        [
          l.code,
          l.name ?? l.code,
          kind,
          JSON.stringify(l.address ?? { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }),
          l.pickupEnabled ?? kind === 'store',
          l.priority ?? (kind === 'store' ? 100 : 10),
        ],
      );
    },
    async setStock(sku, location, onHand, reserved = 0) {
      await db.query(
        `INSERT INTO stock (sku, location, on_hand, reserved, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (sku, location) DO UPDATE SET on_hand = $3, reserved = $4`,
        [sku, location, onHand, reserved],
      );
    },
    async level(sku, location) {
      const { rows } = await db.query<{ onHand: number; reserved: number }>(
        `SELECT on_hand AS "onHand", reserved FROM stock WHERE sku = $1 AND location = $2`,
        [sku, location],
      );
      return rows[0];
    },
    async close() {
      await bus.close();
      await db.drop();
    },
  };
}
