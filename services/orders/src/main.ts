import { createRuntime, createVerifier, loadConfig, startRetention } from '@storefront/kit';
import { httpCart } from './cart-client.ts';
import { cartUrl, ordersConfig, orderTokenSecret, serviceToken } from './config.ts';
import { createOrders } from './orders.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(ordersConfig);
const rt = await createRuntime({
  service: 'orders',
  config,
  needs: { database: { migrations: new URL('../migrations', import.meta.url) }, messaging: true },
});

const orders = createOrders({
  db: rt.db,
  outbox: rt.bus.outbox,
  clock: rt.clock,
  newId: rt.newId,
  log: rt.log,
  faults: rt.faults,
  verifier: createVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
  cart: httpCart({
    baseUrl: cartUrl(config),
    serviceToken: serviceToken(config),
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  }),
  orderTokenSecret: orderTokenSecret(config),
  timing: {
    reserveTimeoutMs: config.RESERVE_TIMEOUT_MS,
    authorizeTimeoutMs: config.AUTHORIZE_TIMEOUT_MS,
    shipTimeoutMs: config.SHIP_TIMEOUT_MS,
    retryMs: config.SAGA_RETRY_MS,
    maxCancelAttempts: config.MAX_CANCEL_ATTEMPTS,
  },
});
orders.subscribe(rt.bus);
startRetention(rt, config);

await rt.serve(orders.app, {
  description:
    'Checkout saga (stock, payment, shipment with compensations), order history, staff order management, returns.',
});
const sweeper = orders.startSweeper(config.SWEEP_INTERVAL_MS);
// The runtime's shutdown closes the pool; stop sweeping first so a re-drive is not cut off mid-way.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sweeper.stop());
