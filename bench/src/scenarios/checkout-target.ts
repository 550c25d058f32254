import { serve as nodeServe } from '@hono/node-server';
import { buildApp, createDb, createRuntime, createVerifier, loadConfig } from '@storefront/kit';
import { type CartClient, httpCart } from '../../../services/orders/src/cart-client.ts';
import { ordersConfig, orderTokenSecret } from '../../../services/orders/src/config.ts';
import { createOrders } from '../../../services/orders/src/orders.ts';
import {
  cpuMs,
  databaseUrl,
  dropDatabase,
  dropStreamAndKeys,
  EVENT_PREFIX,
  freshStorage,
  insertCarts,
  type PooledCart,
  REDIS_PREFIX,
  SERVICE_TOKEN,
  type Services,
  type Sku,
  sandboxCard,
  seedStore,
  servicePorts,
  startServices,
} from './checkout-platform.ts';
import { type AcceptSample, checkoutStats, type OrderSample } from './checkout-stats.ts';

/**
 * The bench target for checkout-*: orders built as its main.ts builds it (Postgres, outbox relay
 * and consumers on NATS, sweeper, logs at info), answering on PORT, in front of catalog,
 * inventory, cart, payments (sandbox) and fulfillment started as their own processes
 * (checkout-platform.ts).
 *
 * The port opens at once and answers 503 until the platform is up (that takes longer than the
 * harness waits for a port); the scenario's setup polls `GET /bench/status`. Then every
 * `POST /checkout` whose body names the cart `"{cart}"` and the card `"{pm}"` gets a fresh guest
 * cart of the pool (its X-Cart-Token, an Idempotency-Key of its own) and the sandbox card, as
 * distinct shoppers would send, and is timed inside this process. `GET /bench/stats?skipMs=`
 * says how those checkouts went (checkout-stats.ts).
 */
const POOL = 20_000;
const REFILL_BELOW = 4_000;
const port = Number(process.env.PORT ?? 0);
let handler: (req: Request) => Promise<Response> = async () => Response.json({ status: 'starting' }, { status: 503 });
let failure: string | undefined;
const server = nodeServe({ fetch: (req) => handler(req), port, hostname: '127.0.0.1' });

const url = databaseUrl();
let services: Services | undefined;
let closeOrders: (() => Promise<void>) | undefined;

/** The cart's quote is the one upstream call inside the accept: timed, to say where the time goes. */
const quoteMs: { at: number; ms: number }[] = [];
function timed(cart: CartClient): CartClient {
  return {
    ...cart,
    async quote(cartId, auth) {
      const at = Date.now();
      const t0 = performance.now();
      try {
        return await cart.quote(cartId, auth);
      } finally {
        quoteMs.push({ at, ms: performance.now() - t0 });
      }
    },
  };
}

async function start() {
  await freshStorage();
  const ports = await servicePorts();
  const config = loadConfig(ordersConfig, {
    ...process.env,
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    EVENT_PREFIX,
    REDIS_PREFIX,
    SERVICE_TOKEN,
    CART_URL: `http://127.0.0.1:${ports.cart}`,
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    SHUTDOWN_GRACE_SECONDS: '1',
  });
  const rt = await createRuntime({
    service: 'orders',
    config,
    needs: {
      database: { migrations: new URL('../../../services/orders/migrations', import.meta.url) },
      messaging: true,
    },
  });
  const orders = createOrders({
    db: rt.db,
    outbox: rt.bus.outbox,
    clock: rt.clock,
    newId: rt.newId,
    log: rt.log,
    faults: rt.faults,
    verifier: createVerifier({ jwks: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    cart: timed(
      httpCart({ baseUrl: config.CART_URL ?? '', serviceToken: SERVICE_TOKEN, timeoutMs: config.UPSTREAM_TIMEOUT_MS }),
    ),
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
  const { app } = buildApp(orders.app, {
    service: 'orders',
    log: rt.log,
    metrics: rt.metrics,
    faults: rt.faults,
    readiness: rt.readiness,
  });
  await rt.bus.start();
  const sweeper = orders.startSweeper(config.SWEEP_INTERVAL_MS);
  closeOrders = async () => {
    await sweeper.stop();
    await rt.close();
  };

  services = await startServices(ports, `http://127.0.0.1:${port}`);
  const skus = await seedStore(services.urls.catalog);
  const pm = await sandboxCard(services.urls.payments);
  const cartDb = createDb({ url, schema: 'cart', max: 2 });
  const pool: PooledCart[] = await insertCarts(cartDb, skus, POOL);
  let refilling = false;
  const refill = (list: readonly Sku[]) => {
    if (refilling || pool.length >= REFILL_BELOW) return;
    refilling = true;
    rt.log.warn({ left: pool.length }, 'bench cart pool low: adding carts during the load');
    void insertCarts(cartDb, list, POOL / 2)
      .then((more) => pool.push(...more))
      .finally(() => {
        refilling = false;
      });
  };

  // CPU from the first checkout on: the checkouts' work (their sagas, and the parcels' tracking
  // that follows), plus whatever the platform does idling meanwhile.
  const backends = async () =>
    (
      await rt.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
    ).rows.map((r) => r.pid);
  const ours: Record<string, number> = { orders: process.pid, ...services.pids };
  let cpuBase: { services: Map<number, number>; postgres: Map<number, number> } | undefined;
  const used = (now: Map<number, number>, base: Map<number, number>, pids?: readonly number[]) =>
    [...now].reduce((n, [pid, ms]) => (!pids || pids.includes(pid) ? n + ms - (base.get(pid) ?? 0) : n), 0);

  const accepts: AcceptSample[] = [];
  const checkout = async (req: Request): Promise<Response> => {
    cpuBase ??= { services: cpuMs(Object.values(ours)), postgres: cpuMs(await backends()) };
    const cart = pool.pop();
    refill(skus);
    if (!cart) return Response.json({ title: 'bench cart pool empty' }, { status: 503 });
    const at = Date.now();
    const t0 = performance.now();
    const headers = new Headers(req.headers);
    headers.set('x-cart-token', cart.token);
    headers.set('idempotency-key', `bench-${cart.id}`);
    const body = (await req.text()).replace('"{cart}"', JSON.stringify(cart.id)).replace('"{pm}"', JSON.stringify(pm));
    const res = await app.fetch(new Request(req.url, { method: 'POST', headers, body }));
    accepts.push({ at, ms: performance.now() - t0, status: res.status });
    return res;
  };

  const stats = async (skipMs: number) => {
    const { rows } = await rt.db.query<{ c: Date; f: Date | null; status: string; reason: string | null }>(
      'SELECT created_at AS c, confirmed_at AS f, status, status_reason AS reason FROM orders',
    );
    const samples: OrderSample[] = rows.map((r) => ({
      createdAt: r.c.getTime(),
      confirmedAt: r.f?.getTime() ?? null,
      status: r.status,
      reason: r.reason,
    }));
    const now = cpuMs(Object.values(ours));
    const base = cpuBase?.services;
    const cpu = cpuBase && {
      servicesMs: used(now, cpuBase.services),
      byServiceMs: Object.fromEntries(Object.entries(ours).map(([name, pid]) => [name, used(now, base ?? now, [pid])])),
      postgresMs: used(cpuMs(await backends()), cpuBase.postgres),
      settled: samples.filter((o) => o.confirmedAt !== null || o.status === 'cancelled').length,
    };
    return checkoutStats(accepts, samples, skipMs, quoteMs, cpu);
  };

  handler = async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/bench/status') {
      const died = services?.died();
      return Response.json({ status: died ? 'failed' : 'ready', reason: died ?? null, pool: pool.length });
    }
    if (path === '/bench/stats') {
      const skipMs = Number(new URL(req.url).searchParams.get('skipMs') ?? 0);
      return Response.json(await stats(Number.isFinite(skipMs) ? skipMs : 0));
    }
    if (req.method === 'POST' && path === '/checkout') return checkout(req);
    return app.fetch(req);
  };
}

start().catch((err: Error) => {
  failure = err.message;
  process.stderr.write(`checkout bench platform failed: ${err.stack ?? err.message}\n`);
  handler = async () => Response.json({ status: 'failed', reason: failure }, { status: 503 });
});

async function stop() {
  const t0 = Date.now();
  server.close();
  await services?.stop().catch(() => {});
  // Within the harness's 5 s: what orders has not finished by then goes with the database.
  await Promise.race([closeOrders?.().catch(() => {}), new Promise((r) => setTimeout(r, 1_500))]);
  await dropDatabase();
  await dropStreamAndKeys().catch(() => {});
  process.stderr.write(`checkout bench platform stopped in ${Date.now() - t0} ms\n`);
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
