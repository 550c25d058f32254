import { fileURLToPath } from 'node:url';
import { type EventEnvelope, type EventPayload, newId } from '@storefront/contracts';
import {
  type Bus,
  buildApp,
  busMigrationsDir,
  connectBus,
  createMetrics,
  createVerifier,
  type Db,
  migrate,
  type Queryable,
  type Role,
} from '@storefront/kit';
import { silentLog, testDb, testEnv, testEventPrefix } from '@storefront/kit/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createApp } from './app.ts';
import { refundRequested } from './command-refund.ts';
import { authorizeRequested, captureRequested, voidRequested } from './commands.ts';
import type { CommandDeps } from './effects.ts';
import { subscribeCommands } from './events.ts';
import type { Providers } from './provider.ts';
import { createSandbox, type Sandbox } from './sandbox/sandbox.ts';
import { createDeliverer, type Deliverer } from './sandbox/webhook-delivery.ts';
import { createStripeProvider } from './stripe/stripe-provider.ts';
import type { FakeStripe } from './testing/fake-stripe.ts';

/**
 * Payments as its tests run it: a fresh schema migrated like production, the real outbox (tests
 * read outcome events from it), the sandbox with its webhook deliverer posting to the app in
 * memory, Stripe through the real SDK pointed at the fake, access tokens from a test key, and
 * optionally the real bus: payments' consumers, plus an "orders" outbox in its own schema that
 * publishes the commands.
 */
const ISSUER = 'https://identity.test';
const AUDIENCE = 'storefront-test';
const SANDBOX_SECRET = 'sandbox-test-secret-0123456789';
export const RETURN_URL = 'https://shop.test/checkout/return';
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export type CommandSubject =
  | 'payment.authorize-requested.v1'
  | 'payment.capture-requested.v1'
  | 'payment.void-requested.v1'
  | 'payment.refund-requested.v1';

const HANDLERS = {
  'payment.authorize-requested.v1': authorizeRequested,
  'payment.capture-requested.v1': captureRequested,
  'payment.void-requested.v1': voidRequested,
  'payment.refund-requested.v1': refundRequested,
};

export interface HarnessOptions {
  readonly sandbox?: boolean;
  readonly stripe?: FakeStripe;
  readonly stripeTimeoutMs?: number;
  /** Start the real bus (consumers and an orders-side publisher). */
  readonly bus?: boolean;
}

export type Who = 'anonymous' | { sub: string; roles?: Role[]; mfa?: boolean };

export async function testPayments(o: HarnessOptions = { sandbox: true }) {
  const db = testDb('pay');
  await migrate(db, [busMigrationsDir, migrationsDir]);
  const log = silentLog();
  const prefix = testEventPrefix();
  const metrics = () => createMetrics({ service: 'payments', runtime: false });
  const busOpts = { natsUrl: testEnv().natsUrl, prefix, log, relayPollMs: 100, shutdownGraceMs: 1_000 };
  const bus: Bus = await connectBus({ ...busOpts, service: 'payments', db, metrics: metrics() });

  const providers: Providers = {};
  let sandbox: Sandbox | undefined;
  if (o.sandbox) {
    sandbox = createSandbox({
      db,
      clock: () => new Date(),
      publicBaseUrl: 'http://payments.test',
      webhookSecret: SANDBOX_SECRET,
    });
    providers.sandbox = sandbox.provider;
  }
  if (o.stripe) {
    providers.stripe = createStripeProvider({
      secretKey: o.stripe.secretKey,
      webhookSecret: o.stripe.webhookSecret,
      timeoutMs: o.stripeTimeoutMs ?? 2_000,
      maxNetworkRetries: 2,
      host: o.stripe.host,
      port: o.stripe.port,
      protocol: 'http',
    });
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' };
  const verifier = createVerifier({ jwks: createLocalJWKSet({ keys: [jwk] }), issuer: ISSUER, audience: AUDIENCE });
  const deps: CommandDeps = { outbox: bus.outbox, providers, clock: () => new Date(), newId: () => newId(), log };
  const { app } = buildApp(createApp({ ...deps, db, sandbox, verifier }), { service: 'payments', log });

  const deliverer: Deliverer = createDeliverer({
    db,
    clock: () => new Date(),
    secret: SANDBOX_SECRET,
    log,
    baseDelayMs: 50,
    send: async (body, headers) => (await app.request('/webhooks/sandbox', { method: 'POST', body, headers })).status,
  });

  let orders: { db: Db & { drop(): Promise<void> }; bus: Bus } | undefined;
  if (o.bus) {
    subscribeCommands(bus, deps, { backoffMs: [300, 600, 1_000], maxDeliver: 6 });
    await bus.start();
    const ordersDb = testDb('ord');
    await migrate(ordersDb, [busMigrationsDir]);
    orders = {
      db: ordersDb,
      bus: await connectBus({ ...busOpts, service: 'orders', db: ordersDb, metrics: metrics() }),
    };
  }

  const token = (who: { sub: string; roles?: Role[]; mfa?: boolean }) => {
    const roles = who.roles ?? ['customer'];
    const mfa = who.mfa ?? roles.some((r) => r !== 'customer');
    return new SignJWT({ sid: 'sess-1', roles, mfa, amr: mfa ? ['pwd', 'otp'] : ['pwd'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(who.sub)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  };

  return {
    app,
    db,
    deps,
    sandbox,
    deliverer,
    /** Applies a command the way the bus would (in one transaction), without the bus. */
    run<S extends CommandSubject>(subject: S, payload: EventPayload<S>, eventId = newId()): Promise<void> {
      const handler = HANDLERS[subject] as unknown as (
        d: CommandDeps,
        tx: Queryable,
        e: EventEnvelope<S>,
      ) => Promise<void>;
      const event = { id: eventId, subject, occurredAt: new Date().toISOString(), payload } as EventEnvelope<S>;
      return db.tx((tx) => handler(deps, tx, event));
    },
    /** Publishes a command from the orders side through its outbox and the real bus. */
    async publish<S extends CommandSubject>(subject: S, payload: EventPayload<S>): Promise<void> {
      if (!orders) throw new Error('start the harness with { bus: true }');
      const out = orders.bus.outbox;
      await orders.db.tx((tx) => out.add(tx, subject, payload));
      await orders.bus.relayNow();
    },
    async events(subject?: string): Promise<{ subject: string; payload: Record<string, unknown> }[]> {
      const { rows } = await db.query<{ subject: string; payload: Record<string, unknown> }>(
        'SELECT subject, payload FROM outbox WHERE $1::text IS NULL OR subject = $1 ORDER BY seq',
        [subject ?? null],
      );
      return rows;
    },
    /** Outcome events about one payment, as [subject, payload] in order. */
    async outcomes(paymentId: string) {
      return (await this.events()).filter((e) => e.payload.paymentId === paymentId);
    },
    token,
    async call(
      method: string,
      path: string,
      opts: { as?: Who; body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const headers: Record<string, string> = { ...opts.headers };
      const who = opts.as ?? 'anonymous';
      if (who !== 'anonymous') headers.authorization = `Bearer ${await token(who)}`;
      if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const body =
        opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    },
    /** A sandbox token for a test card number. */
    async card(number: string): Promise<string> {
      const res = await this.call('POST', '/sandbox/payment-methods', {
        body: { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' },
      });
      if (res.status !== 201) throw new Error(`card ${number.slice(-4)}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    async waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = await probe();
        if (v) return v;
        if (Date.now() > until) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await deliverer.stop();
      await bus.close();
      if (orders) {
        await orders.bus.close();
        await orders.db.drop();
      }
      await db.drop();
    },
  };
}

export type TestPayments = Awaited<ReturnType<typeof testPayments>>;

/** An authorize command with fresh ids; amounts in USD cents. */
export function authorizeCommand(paymentMethod: string, o: { amount?: number; customerId?: string | null } = {}) {
  return {
    orderId: newId(),
    paymentId: newId(),
    amount: { amount: o.amount ?? 5_000, currency: 'USD' },
    customerId: o.customerId === undefined ? 'cust-a' : o.customerId,
    paymentMethod,
    returnUrl: RETURN_URL,
  };
}
