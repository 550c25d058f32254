import { spawn } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { serve as nodeServe } from '@hono/node-server';
import { newId } from '@storefront/contracts';
import { buildApp, createDb, createRuntime, loadConfig } from '@storefront/kit';
import { cartConfig } from '../../../services/cart/src/config.ts';
import { CART_NEEDS, wireCart } from '../../../services/cart/src/wiring.ts';

/**
 * The bench target for cart-*: the cart wired as main.ts wires it (Postgres, Redis read cache,
 * outbox relay to NATS, logs at info), in a database of its own reset on every start, in front
 * of stand-in catalog and inventory processes (cart-upstream.ts).
 *
 * 1000 guest carts of 3 lines are inserted at start. autocannon replays one request list on every
 * connection, so a path `/carts/{cart}/…` is given a random cart of the pool (and its
 * X-Cart-Token) and a body SKU `"{sku}"` a random one of 20, as distinct shoppers would send.
 */
export const CARTS = 1000;
const SKUS = 20;

const upstream = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./cart-upstream.ts', import.meta.url))],
  {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  },
);
process.once('exit', () => upstream.kill('SIGKILL'));
const upstreamPort = await new Promise<string>((resolve, reject) => {
  upstream.once('exit', (code) => reject(new Error(`bench upstream exited with ${code}`)));
  upstream.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
});

const admin = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const adminDb = createDb({ url: admin, schema: 'public', max: 1 });
if ((await adminDb.query("SELECT 1 FROM pg_database WHERE datname = 'bench_cart'")).rowCount === 0) {
  await adminDb.query('CREATE DATABASE bench_cart');
}
await adminDb.close();
const url = new URL(admin);
url.pathname = '/bench_cart';
const reset = createDb({ url: url.toString(), schema: 'cart', max: 1 });
await reset.query('DROP SCHEMA IF EXISTS cart CASCADE');
await reset.close();

const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
const config = loadConfig(cartConfig, {
  ...process.env,
  HOST: '127.0.0.1',
  DATABASE_URL: url.toString(),
  EVENT_PREFIX: 'benchcart',
  REDIS_PREFIX: 'benchcart:',
  ADMIN_TOKEN: 'bench-service-token-0123456789',
  MAX_LINES: '200',
  MAX_LINE_QUANTITY: '999',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
});
const rt = await createRuntime({ service: 'cart', config, needs: CART_NEEDS });
const service = wireCart(rt, config, { catalog: upstreamUrl, inventory: upstreamUrl, jwks: config.JWKS_URL });

const tokens: { id: string; token: string }[] = Array.from({ length: CARTS }, (_, i) => ({
  id: newId(),
  token: `bench-cart-token-${i}-${'x'.repeat(20)}`,
}));
const hash = (t: string) => createHash('sha256').update(t).digest('hex');
await rt.db.query(
  `INSERT INTO carts (id, token_hash, currency, created_at, updated_at)
   SELECT id, h, 'USD', now(), now() FROM unnest($1::uuid[], $2::text[]) AS t(id, h)`,
  [tokens.map((t) => t.id), tokens.map((t) => hash(t.token))],
);
await rt.db.query(
  `INSERT INTO cart_lines (cart_id, sku, product_id, quantity, unit_price, added_at)
   SELECT c.id, 'BENCH-' || n, ('0199a83f-8840-7236-b5b8-' || lpad(n::text, 12, '0'))::uuid, 1, 1000 + n, now()
   FROM carts c CROSS JOIN generate_series(0, 2) n`,
);

const { app } = buildApp(service, {
  service: 'cart',
  log: rt.log,
  metrics: rt.metrics,
  faults: rt.faults,
  readiness: rt.readiness,
});
await rt.bus.start();

async function spread(req: Request): Promise<Response> {
  if (!req.url.includes('/carts/%7Bcart%7D') && !req.url.includes('/carts/{cart}')) return app.fetch(req);
  const cart = tokens[randomInt(CARTS)] ?? tokens[0];
  if (!cart) return app.fetch(req);
  const headers = new Headers(req.headers);
  headers.set('x-cart-token', cart.token);
  const target = req.url.replace(/\/carts\/(%7Bcart%7D|\{cart\})/, `/carts/${cart.id}`);
  const body =
    req.method === 'GET'
      ? undefined
      : (await req.text()).replace('"{sku}"', JSON.stringify(`BENCH-${randomInt(SKUS)}`));
  return app.fetch(new Request(target, { method: req.method, headers, ...(body === undefined ? {} : { body }) }));
}

const server = nodeServe({ fetch: spread, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    upstream.kill('SIGTERM');
    void rt.close().finally(() => process.exit(0));
  });
}
