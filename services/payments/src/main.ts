import { randomBytes } from 'node:crypto';
import { createDb, createRuntime, createVerifier, type Db, loadConfig, startRetention } from '@storefront/kit';
import { createApp } from './app.ts';
import { paymentsConfig } from './config.ts';
import { subscribeCommands } from './events.ts';
import type { Providers } from './provider.ts';
import { createSandbox, type Sandbox } from './sandbox/sandbox.ts';
import { createDeliverer, type Deliverer } from './sandbox/webhook-delivery.ts';
import { createStripeProvider } from './stripe/stripe-provider.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(paymentsConfig);
const rt = await createRuntime({
  service: 'payments',
  config,
  needs: { database: { migrations: new URL('../migrations', import.meta.url) }, messaging: true },
});

const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
const providers: Providers = {};
let sandbox: Sandbox | undefined;
let deliverer: Deliverer | undefined;
let sandboxDb: Db | undefined;

if (config.PAYMENTS_PROVIDER === 'stripe') {
  providers.stripe = createStripeProvider({
    secretKey: config.STRIPE_SECRET_KEY ?? '',
    webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
    timeoutMs: config.STRIPE_TIMEOUT_MS,
    maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
    host: config.STRIPE_API_HOST,
    port: config.STRIPE_API_PORT,
    protocol: config.STRIPE_API_PROTOCOL,
  });
} else {
  const secret = config.SANDBOX_WEBHOOK_SECRET ?? randomBytes(32).toString('hex');
  if (!config.SANDBOX_WEBHOOK_SECRET) {
    rt.log.warn('SANDBOX_WEBHOOK_SECRET is not set: using a random one, which only works with a single replica');
  }
  // The sandbox plays a remote provider: its own small pool, so its calls made from inside a command's
  // transaction never wait for a connection that the command transactions themselves are holding.
  sandboxDb = createDb({ url: config.DATABASE_URL, schema: 'payments', max: 5, applicationName: 'payments-sandbox' });
  sandbox = createSandbox({ db: sandboxDb, clock: rt.clock, publicBaseUrl, webhookSecret: secret });
  providers.sandbox = sandbox.provider;
  const url = config.SANDBOX_WEBHOOK_URL ?? `http://127.0.0.1:${config.PORT}/webhooks/sandbox`;
  deliverer = createDeliverer({
    db: sandboxDb,
    clock: rt.clock,
    secret,
    log: rt.log,
    async send(body, headers) {
      const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      return res.status;
    },
  });
}

const deps = { db: rt.db, outbox: rt.bus.outbox, providers, clock: rt.clock, newId: rt.newId, log: rt.log };
subscribeCommands(rt.bus, deps);
startRetention(rt, config, [{ table: 'webhook_events', column: 'received_at', policy: 'webhooks' }]);
const verifier = createVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const app = createApp({ ...deps, sandbox, verifier });

await rt.serve(app, {
  description: 'Payments: authorize, capture, void and refund through the sandbox or Stripe; webhooks; the ledger.',
});
deliverer?.start();
// The runtime's shutdown closes the pool; stop delivering first so a callback is not cut off mid-way.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void deliverer?.stop().then(() => sandboxDb?.close()));
}
