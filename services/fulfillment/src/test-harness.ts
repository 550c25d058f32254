import { fileURLToPath } from 'node:url';
import { type EventPayload, newId, type Subject } from '@storefront/contracts';
import {
  type Bus,
  busMigrationsDir,
  connectBus,
  createFaults,
  createMetrics,
  createVerifier,
  type Db,
  migrate,
  type Role,
  type Running,
  serve,
} from '@storefront/kit';
import { silentLog, testDb, testEnv, testEventPrefix } from '@storefront/kit/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Runner } from './devcarrier-runner.ts';
import { createFulfillment } from './fulfillment.ts';
import { SIGNATURE_HEADER, signature } from './webhook-signature.ts';

/**
 * Fulfillment as its tests run it, with nothing faked: a fresh schema migrated like production,
 * the real bus under a private event prefix, the app listening on a real port (the dev carrier
 * posts its webhooks there), and a stand-in for orders — its own schema and outbox on the same
 * prefix — that sends the saga's commands and collects the outcomes from the stream.
 */
export const SECRET = 'devcarrier-test-secret-0123456789';
const ISSUER = 'https://identity.test';
const AUDIENCE = 'storefront-test';
const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export interface InstanceOptions {
  readonly stepMs?: number;
  readonly retryBaseMs?: number;
  /** Fault rules (the FAULTS variable's JSON). */
  readonly faults?: unknown[];
  readonly refuseCountries?: string[];
}

export interface Instance {
  readonly url: string;
  readonly runner: Runner;
  close(): Promise<void>;
}

export interface Received {
  readonly id: string;
  readonly subject: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions probe payloads of every outcome.
  readonly payload: any;
}

export type Who = 'anonymous' | { roles: Role[]; sub?: string; mfa?: boolean };

export interface Harness {
  readonly db: Db;
  /** Starts the service on this schema and prefix (again after a stop, as a restart would). */
  start(o?: InstanceOptions): Promise<Instance>;
  /** Orders' side: puts a command on the bus through its outbox. */
  send<S extends Subject>(subject: S, payload: EventPayload<S>): Promise<string>;
  /** Outcomes heard on the bus, in stream order. */
  readonly heard: Received[];
  waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms?: number): Promise<T>;
  /** The running instance's base URL. */
  url(): string;
  get(path: string, as?: Who): Promise<Response>;
  /** Posts a devcarrier webhook to the running instance, signed unless told otherwise. */
  webhook(body: unknown, o?: { secret?: string; at?: number; header?: string | null }): Promise<Response>;
  /** What fulfillment wrote to its outbox, oldest first. */
  emitted(subject?: string): Promise<Received[]>;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const prefix = testEventPrefix();
  const log = silentLog();
  const metrics = () => createMetrics({ service: 'fulfillment', runtime: false });
  const db = testDb('ful');
  await migrate(db, [busMigrationsDir, migrationsDir]);
  const ordersDb = testDb('ordt');
  await migrate(ordersDb, [busMigrationsDir]);
  const busFor = (service: string, on: Db): Promise<Bus> =>
    connectBus({
      service,
      natsUrl: testEnv().natsUrl,
      prefix,
      db: on,
      log,
      metrics: metrics(),
      relayPollMs: 50,
      shutdownGraceMs: 2_000,
    });

  const heard: Received[] = [];
  const orders = await busFor('orders-test', ordersDb);
  const outcomes = [
    'shipment.created.v1',
    'shipment.creation-failed.v1',
    'shipment.cancelled.v1',
    'shipment.status-changed.v1',
    'shipment.delivered.v1',
    'shipment.return-label-created.v1',
    'shipment.return-received.v1',
  ] as const;
  orders.subscribe('outcomes', outcomes, async (e) => {
    heard.push({ id: e.id, subject: e.subject, payload: e.payload });
  });
  await orders.start();

  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' };
  const verifier = createVerifier({ jwks: createLocalJWKSet({ keys: [jwk] }), issuer: ISSUER, audience: AUDIENCE });
  const token = (roles: Role[], sub: string, mfa: boolean) =>
    new SignJWT({ sid: 'sess-1', roles, mfa, amr: mfa ? ['pwd', 'otp'] : ['pwd'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);

  let current: (Instance & { running: Running }) | undefined;
  const url = () => {
    if (!current) throw new Error('start the service first');
    return current.url;
  };

  async function start(o: InstanceOptions = {}): Promise<Instance> {
    const faults = createFaults({ json: JSON.stringify(o.faults ?? []) });
    const bus = await busFor('fulfillment', db);
    const f = createFulfillment({
      db,
      outbox: bus.outbox,
      clock: () => new Date(),
      newId: () => newId(),
      log,
      faults,
      verifier,
      carrier: 'devcarrier',
      devcarrier: {
        secret: SECRET,
        stepMs: o.stepMs ?? 60_000,
        area: { refuseCountries: o.refuseCountries ?? ['AQ'], refusePostalCodes: ['00000'] },
      },
    });
    f.subscribe(bus);
    await bus.start();
    const running = await serve(f.app, {
      service: 'fulfillment',
      port: 0,
      host: '127.0.0.1',
      log,
      metrics: metrics(),
      faults,
      handleSignals: false,
      shutdownGraceMs: 1_000,
      onShutdown: [() => bus.close()],
    });
    const runner = f.devcarrierRunner({
      webhookUrl: `${running.url}/webhooks/carriers/devcarrier`,
      pollMs: 20,
      retryBaseMs: o.retryBaseMs ?? 50,
      maxAttempts: 20,
    });
    runner.start();
    const instance = {
      url: running.url,
      runner,
      running,
      async close() {
        await runner.stop();
        await running.close();
        if (current === instance) current = undefined;
      },
    };
    current = instance;
    return instance;
  }

  async function waitFor<T>(
    what: string,
    fn: () => Promise<T | undefined | false> | T | undefined | false,
    ms = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    db,
    start,
    heard,
    waitFor,
    url,
    async send(subject, payload) {
      return ordersDb.tx((tx) => orders.outbox.add(tx, subject, payload));
    },
    async get(path, as = 'anonymous') {
      const headers: Record<string, string> = {};
      if (as !== 'anonymous') {
        headers.authorization = `Bearer ${await token(as.roles, as.sub ?? `acct-${as.roles.join('-')}`, as.mfa ?? true)}`;
      }
      return fetch(`${url()}${path}`, { headers });
    },
    async webhook(body, o = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const at = o.at ?? Math.floor(Date.now() / 1000);
      const header = o.header === undefined ? signature(o.secret ?? SECRET, raw, at) : o.header;
      return fetch(`${url()}/webhooks/carriers/devcarrier`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(header === null ? {} : { [SIGNATURE_HEADER]: header }) },
        body: raw,
      });
    },
    async emitted(subject) {
      const { rows } = await db.query<Received>(
        `SELECT id, subject, payload FROM outbox WHERE $1::text IS NULL OR subject = $1 ORDER BY seq`,
        [subject ?? null],
      );
      return rows;
    },
    async close() {
      await current?.close();
      await orders.close();
      await ordersDb.drop();
      await db.drop();
    },
  };
}

/** A create-request for an order with one parcel per location. */
export function createRequest(
  locations: string[],
  o: { customerId?: string | null; postalCode?: string; country?: string } = {},
): EventPayload<'shipment.create-requested.v1'> {
  return {
    orderId: newId(),
    customerId: o.customerId === undefined ? 'cust-1' : o.customerId,
    address: {
      name: 'Ada Lovelace',
      line1: '12 St James Square',
      city: 'London',
      postalCode: o.postalCode ?? 'SW1Y 4JH',
      country: o.country ?? 'GB',
    },
    method: 'standard',
    parcels: locations.map((location, i) => ({ location, lines: [{ sku: `SKU-${i + 1}`, qty: i + 1 }] })),
  };
}
