import { createRuntime, createVerifier, loadConfig, startRetention } from '@storefront/kit';
import { fulfillmentConfig, webhookSecret } from './config.ts';
import { createFulfillment } from './fulfillment.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(fulfillmentConfig);
const rt = await createRuntime({
  service: 'fulfillment',
  config,
  needs: { database: { migrations: new URL('../migrations', import.meta.url) }, messaging: true },
});

const verifier = createVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const fulfillment = createFulfillment({
  db: rt.db,
  outbox: rt.bus.outbox,
  clock: rt.clock,
  newId: rt.newId,
  log: rt.log,
  faults: rt.faults,
  verifier,
  carrier: config.CARRIER,
  devcarrier: {
    secret: webhookSecret(config),
    stepMs: config.DEVCARRIER_STEP_MS,
    area: {
      refuseCountries: config.DEVCARRIER_REFUSE_COUNTRIES,
      refusePostalCodes: config.DEVCARRIER_REFUSE_POSTAL_CODES,
    },
  },
});
fulfillment.subscribe(rt.bus);
startRetention(rt, config, [{ table: 'webhook_receipts', column: 'received_at', policy: 'webhooks' }]);

const running = await rt.serve(fulfillment.app, {
  description: 'Shipments split by location, carrier labels and signed tracking webhooks, returns.',
});
const runner = fulfillment.devcarrierRunner({
  // Each replica posts to itself; the endpoint verifies the signature like any carrier's.
  webhookUrl: config.DEVCARRIER_WEBHOOK_URL ?? `http://127.0.0.1:${running.port}/webhooks/carriers/devcarrier`,
  pollMs: config.DEVCARRIER_POLL_MS,
  retryBaseMs: config.DEVCARRIER_RETRY_BASE_MS,
  maxAttempts: config.DEVCARRIER_MAX_ATTEMPTS,
});
runner.start();
// The runtime's shutdown closes the pool; stop the scheduler first so a step is not cut off mid-way.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void runner.stop());
