import { randomInt, randomUUID } from 'node:crypto';
import { serve as nodeServe } from '@hono/node-server';
import {
  authConfigShape,
  baseConfigShape,
  buildApp,
  createDb,
  createRuntime,
  createVerifier,
  dataConfigShape,
  loadConfig,
  z,
} from '@storefront/kit';
import { createApp } from '../../../services/inventory/src/app.ts';

/**
 * The bench target for inventory-reserve-*: inventory's app and runtime as main.ts builds them
 * (Postgres, the outbox relay publishing to NATS, logs at info), in a database of its own that is
 * reset on every start, with one hot SKU (BENCH-HOT, 10^9 units) and 1000 spread SKUs.
 *
 * One addition in front: autocannon replays the same request list on every connection, but a
 * reservation id is single-use (a repeat is an idempotent replay, not a new hold). So in POST
 * /reservations bodies `"{fresh}"` becomes a new id and `"{spread}"` a random spread SKU, as
 * distinct checkouts would send. That costs one body copy per request, outside the measured app.
 */
export const BENCH_SERVICE_TOKEN = 'bench-service-token-0123456789';
export const SPREAD_SKUS = 1000;

const admin = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'bench_inventory';
const adminDb = createDb({ url: admin, schema: 'public', max: 1 });
const exists = await adminDb.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
if (exists.rowCount === 0) await adminDb.query(`CREATE DATABASE ${dbName}`);
await adminDb.close();
const url = new URL(admin);
url.pathname = `/${dbName}`;

const reset = createDb({ url: url.toString(), schema: 'inventory', max: 1 });
await reset.query('DROP SCHEMA IF EXISTS inventory CASCADE');
await reset.close();

const config = loadConfig(z.object({ ...baseConfigShape, ...dataConfigShape, ...authConfigShape }), {
  ...process.env,
  DATABASE_URL: url.toString(),
  EVENT_PREFIX: 'benchinventory',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
});
const rt = await createRuntime({
  service: 'inventory',
  config,
  needs: {
    database: { migrations: new URL('../../../services/inventory/migrations', import.meta.url) },
    messaging: true,
  },
});
await rt.db.query(
  `INSERT INTO locations (code, name, kind, address, priority, created_at, updated_at)
   VALUES ('wh-1', 'Bench warehouse', 'warehouse', '{}', 10, now(), now())`,
);
await rt.db.query(
  `INSERT INTO stock (sku, location, on_hand, updated_at)
   SELECT 'BENCH-S-' || i, 'wh-1', 1000000, now() FROM generate_series(0, $1 - 1) i
   UNION ALL SELECT 'BENCH-HOT', 'wh-1', 1000000000, now()`,
  [SPREAD_SKUS],
);

const verifier = createVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
const service = createApp({
  db: rt.db,
  outbox: rt.bus.outbox,
  clock: rt.clock,
  newId: rt.newId,
  verifier,
  serviceToken: BENCH_SERVICE_TOKEN,
  log: rt.log,
});
const { app } = buildApp(service, {
  service: 'inventory',
  log: rt.log,
  metrics: rt.metrics,
  faults: rt.faults,
  readiness: rt.readiness,
});
await rt.bus.start();

async function fetchWithFreshIds(req: Request): Promise<Response> {
  if (req.method !== 'POST' || !req.url.endsWith('/reservations')) return app.fetch(req);
  const body = (await req.text())
    .replace('"{fresh}"', JSON.stringify(randomUUID()))
    .replace('"{spread}"', JSON.stringify(`BENCH-S-${randomInt(SPREAD_SKUS)}`));
  return app.fetch(new Request(req.url, { method: 'POST', headers: req.headers, body }));
}

const server = nodeServe({ fetch: fetchWithFreshIds, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void rt.close().finally(() => process.exit(0));
  });
}
