import {
  authConfigShape,
  baseConfigShape,
  createRuntime,
  createVerifier,
  dataConfigShape,
  env,
  loadConfig,
  startRetention,
  z,
} from '@storefront/kit';
import { createApp } from './app.ts';
import { subscribeCommands } from './commands.ts';
import { startSweeper } from './sweeper.ts';

/** The only file that reads env and opens sockets. */
const config = loadConfig(
  z
    .object({
      ...baseConfigShape,
      ...dataConfigShape,
      ...authConfigShape,
      PORT: env.port(8084),
      /** Presented by services that reserve stock or sync tills (X-Service-Token). Defaults to ADMIN_TOKEN. */
      SERVICE_TOKEN: z.string().min(16).optional(),
      ADMIN_TOKEN: z.string().min(16).optional(),
      /** How often expired holds are looked for, and how many one transaction releases. */
      SWEEP_INTERVAL_MS: env.int(5_000, 100, 600_000),
      SWEEP_BATCH: env.int(200, 1, 5_000),
    })
    .refine((c) => c.SERVICE_TOKEN ?? c.ADMIN_TOKEN, {
      message: 'set SERVICE_TOKEN (or ADMIN_TOKEN)',
      path: ['SERVICE_TOKEN'],
    }),
);

const rt = await createRuntime({
  service: 'inventory',
  config,
  needs: { database: { migrations: new URL('../migrations', import.meta.url) }, messaging: true },
});

const verifier = createVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const core = { db: rt.db, outbox: rt.bus.outbox, clock: rt.clock, newId: rt.newId };
const app = createApp({
  ...core,
  verifier,
  serviceToken: config.SERVICE_TOKEN ?? config.ADMIN_TOKEN ?? '',
  log: rt.log,
});

// The checkout saga's commands (reserve, commit, release, restock), inbox-deduplicated.
subscribeCommands(rt.bus, core);
startRetention(rt, config);

const sweeper = startSweeper(core, { intervalMs: config.SWEEP_INTERVAL_MS, batch: config.SWEEP_BATCH, log: rt.log });
// The runtime's shutdown closes the pool; stop sweeping first so a sweep is not cut off mid-way.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sweeper.stop());

await rt.serve(app, {
  description: 'Stock per SKU per location, TTL reservations with allocation, transfers, adjustments and POS sync.',
});
