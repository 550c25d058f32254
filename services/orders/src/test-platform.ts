import { fileURLToPath } from 'node:url';
import { newId } from '@storefront/contracts';
import {
  type Bus,
  buildApp,
  busMigrationsDir,
  connectBus,
  createFaults,
  createMetrics,
  createVerifier,
  type Db,
  migrate,
  type Role,
  serve,
} from '@storefront/kit';
import { silentLog, testDb, testEnv, testEventPrefix } from '@storefront/kit/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createFulfillment } from '../../fulfillment/src/fulfillment.ts';
import { subscribeCommands as inventoryCommands } from '../../inventory/src/commands.ts';
import { createApp as paymentsApp } from '../../payments/src/app.ts';
import { subscribeCommands as paymentCommands } from '../../payments/src/events.ts';
import type { Providers } from '../../payments/src/provider.ts';
import { createSandbox } from '../../payments/src/sandbox/sandbox.ts';
import { createDeliverer } from '../../payments/src/sandbox/webhook-delivery.ts';
import { httpCart } from './cart-client.ts';
import type { SagaTiming } from './core.ts';
import { createOrders } from './orders.ts';
import { fakeCart, SERVICE_TOKEN } from './test-fake-cart.ts';

/**
 * The saga's participants as the journeys run them, each the real service code on its own schema
 * and bus connection under one private event prefix: orders (app in memory, consumers, sweeper),
 * inventory's command consumer (stock seeded at two warehouses), payments with the sandbox provider
 * and its webhook deliverer, fulfillment with the dev carrier (its webhook endpoint on a real port).
 * Only the cart is a stand-in at its HTTP boundary (test-fake-cart.ts).
 */
const ISSUER = 'https://identity.test';
const AUDIENCE = 'storefront-test';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const ORDER_SECRET = 'order-token-secret-0123456789';

export interface PlatformOptions {
  readonly timing?: Partial<SagaTiming>;
  readonly stepMs?: number;
  readonly stock?: Record<string, number>;
  /** Orders' own id factory (the other participants keep theirs). */
  readonly ordersNewId?: () => string;
}

export async function platform(o: PlatformOptions = {}) {
  const prefix = testEventPrefix();
  const log = silentLog();
  const metrics = (service: string) => createMetrics({ service, runtime: false });
  const closers: (() => Promise<unknown>)[] = [];
  const busFor = async (service: string, db: Db): Promise<Bus> => {
    const bus = await connectBus({
      service,
      natsUrl: testEnv().natsUrl,
      prefix,
      db,
      log,
      metrics: metrics(service),
      relayPollMs: 50,
      shutdownGraceMs: 1_000,
    });
    closers.unshift(() => bus.close());
    return bus;
  };
  const schema = async (name: string, dir?: string) => {
    const db = testDb(name);
    await migrate(db, dir ? [busMigrationsDir, dir] : [busMigrationsDir]);
    closers.push(() => db.drop());
    return db;
  };
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' };
  const verifier = createVerifier({ jwks: createLocalJWKSet({ keys: [jwk] }), issuer: ISSUER, audience: AUDIENCE });
  const token = (sub: string, roles: Role[] = ['customer'], mfa = roles.some((r) => r !== 'customer')) =>
    new SignJWT({ sid: 'sess-1', roles, mfa, amr: mfa ? ['pwd', 'otp'] : ['pwd'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  const clock = () => new Date();
  const ids = () => newId();

  // inventory
  const invDb = await schema('inv', here('../../inventory/migrations'));
  const invBus = await busFor('inventory', invDb);
  inventoryCommands(invBus, { db: invDb, outbox: invBus.outbox, clock, newId: ids });
  for (const code of ['wh-1', 'wh-2']) {
    await invDb.query(
      `INSERT INTO locations (code, name, kind, address, pickup_enabled, priority, created_at, updated_at)
       VALUES ($1, $1, 'warehouse', $2, false, 10, now(), now())`,
      [code, JSON.stringify({ line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' })],
    );
  }
  const stock = o.stock ?? { 'SKU-A': 100, 'SKU-B': 100 };
  for (const [sku, n] of Object.entries(stock)) {
    await invDb.query(
      `INSERT INTO stock (sku, location, on_hand, reserved, updated_at) VALUES ($1, 'wh-1', $2, 0, now())`,
      [sku, n],
    );
  }

  // payments
  const payDb = await schema('pay', here('../../payments/migrations'));
  const payBus = await busFor('payments', payDb);
  const sandbox = createSandbox({
    db: payDb,
    clock,
    publicBaseUrl: 'http://payments.test',
    webhookSecret: 'sandbox-secret-0123456789',
  });
  const providers: Providers = { sandbox: sandbox.provider };
  const payDeps = { outbox: payBus.outbox, providers, clock, newId: ids, log };
  paymentCommands(payBus, payDeps, { backoffMs: [200, 500, 1_000], maxDeliver: 20 });
  const payments = buildApp(paymentsApp({ ...payDeps, db: payDb, sandbox, verifier }), {
    service: 'payments',
    log,
  }).app;
  const deliverer = createDeliverer({
    db: payDb,
    clock,
    secret: 'sandbox-secret-0123456789',
    log,
    intervalMs: 50,
    baseDelayMs: 50,
    send: async (body, headers) =>
      (await payments.request('/webhooks/sandbox', { method: 'POST', body, headers })).status,
  });

  // fulfillment
  const fulDb = await schema('ful', here('../../fulfillment/migrations'));
  const fulBus = await busFor('fulfillment', fulDb);
  const faults = createFaults({});
  const ful = createFulfillment({
    db: fulDb,
    outbox: fulBus.outbox,
    clock,
    newId: ids,
    log,
    faults,
    verifier,
    carrier: 'devcarrier',
    devcarrier: {
      secret: 'devcarrier-secret-0123456789',
      stepMs: o.stepMs ?? 1_500,
      area: { refuseCountries: [], refusePostalCodes: ['00000'] },
    },
  });
  ful.subscribe(fulBus);

  // orders
  const cart = await fakeCart();
  closers.push(() => cart.close());
  const ordDb = await schema('ord', here('../migrations'));
  const ordBus = await busFor('orders', ordDb);
  const orders = createOrders({
    db: ordDb,
    outbox: ordBus.outbox,
    clock,
    newId: o.ordersNewId ?? ids,
    log,
    faults,
    verifier,
    cart: httpCart({ baseUrl: cart.url, serviceToken: SERVICE_TOKEN, timeoutMs: 2_000 }),
    orderTokenSecret: ORDER_SECRET,
    timing: {
      reserveTimeoutMs: 5_000,
      authorizeTimeoutMs: 5_000,
      shipTimeoutMs: 8_000,
      retryMs: 500,
      maxCancelAttempts: 3,
      ...o.timing,
    },
  });
  orders.subscribe(ordBus);
  const app = buildApp(orders.app, { service: 'orders', log }).app;

  for (const b of [invBus, payBus, fulBus, ordBus]) await b.start();
  deliverer.start();
  closers.unshift(() => deliverer.stop());
  const running = await serve(ful.app, {
    service: 'fulfillment',
    port: 0,
    host: '127.0.0.1',
    log,
    metrics: metrics('ful'),
    faults,
    handleSignals: false,
    shutdownGraceMs: 500,
  });
  const runner = ful.devcarrierRunner({
    webhookUrl: `${running.url}/webhooks/carriers/devcarrier`,
    pollMs: 50,
    retryBaseMs: 50,
    maxAttempts: 20,
  });
  runner.start();
  closers.unshift(() => running.close());
  closers.unshift(() => runner.stop());
  const sweeper = orders.startSweeper(100);
  closers.unshift(() => sweeper.stop());

  async function call(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    return app.request(path, {
      method,
      headers,
      ...(opts.body === undefined
        ? {}
        : { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
    });
  }

  return {
    app,
    call,
    token,
    cart,
    sandbox,
    payments,
    core: orders.core,
    dbs: { orders: ordDb, inventory: invDb, payments: payDb, fulfillment: fulDb },
    ordersBus: ordBus,
    /** A sandbox token for a test card. */
    async card(number: string): Promise<string> {
      const res = await payments.request('/sandbox/payment-methods', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' }),
      });
      if (res.status !== 201) throw new Error(`card: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    async stockOf(sku: string) {
      const { rows } = await invDb.query<{ on_hand: number; reserved: number }>(
        `SELECT sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM stock WHERE sku = $1`,
        [sku],
      );
      return { onHand: rows[0]?.on_hand ?? 0, reserved: rows[0]?.reserved ?? 0 };
    },
    async payment(orderId: string) {
      const { rows } = await payDb.query<{ state: string; captured: number; refunded: number }>(
        `SELECT state, amount_captured::int AS captured, amount_refunded::int AS refunded FROM payments WHERE order_id = $1`,
        [orderId],
      );
      return rows[0];
    },
    async close() {
      for (const c of closers) await c().catch(() => {});
    },
  };
}
export type Platform = Awaited<ReturnType<typeof platform>>;

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false | null>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
