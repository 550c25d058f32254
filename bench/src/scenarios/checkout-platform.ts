import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn as spawnChild } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { newId } from '@storefront/contracts';
import { createDb, type Db } from '@storefront/kit';
import { Redis } from 'ioredis';
import { seedCatalog } from '../../../services/catalog/src/seed/index.ts';
import { freePort } from '../target-process.ts';

/**
 * The services a checkout needs besides orders (which runs inside the bench target, so the
 * harness's CPU and memory figures are orders' own): catalog, inventory, cart, payments (sandbox)
 * and fulfillment (dev carrier), each its own process from its main.ts with the environment the
 * launcher gives it, on a database of their own (`bench_checkout`, recreated on every start), Redis
 * keys and an event stream of their own (`BENCHCHECKOUT_EVENTS`, deleted at start and at stop).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EVENT_PREFIX = 'benchcheckout';
export const REDIS_PREFIX = 'benchcheckout:';
export const SERVICE_TOKEN = 'bench-checkout-service-token-0123';
export const LOCATION = 'bench-wh';
const DATABASE = 'bench_checkout';
const CHILDREN = ['catalog', 'inventory', 'cart', 'payments', 'fulfillment'] as const;
type Child = (typeof CHILDREN)[number];

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DATABASE}`;
  return u.toString();
}

/** Drops what an earlier run left (its database, stream and Redis keys) and makes the database anew. */
export async function freshStorage(): Promise<void> {
  const admin = createDb({ url: ADMIN_URL, schema: 'public', max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.close();
  await dropStreamAndKeys();
}

export async function dropStreamAndKeys(): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    await (await jetstreamManager(nc)).streams.delete(`${EVENT_PREFIX.toUpperCase()}_EVENTS`).catch(() => false);
  } finally {
    await nc.close();
  }
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export async function dropDatabase(): Promise<void> {
  const admin = createDb({ url: ADMIN_URL, schema: 'public', max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => {});
  await admin.close();
}

export interface Services {
  readonly urls: Record<Child, string>;
  readonly pids: Readonly<Record<Child, number>>;
  /** Why a service died, if one did. */
  died(): string | undefined;
  stop(): Promise<void>;
}

/** Ports first, so every service knows every other's address (as UPSTREAM_*_URL) before any starts. */
export async function servicePorts(): Promise<Record<Child, number>> {
  const ports = {} as Record<Child, number>;
  for (const c of CHILDREN) ports[c] = await freePort();
  return ports;
}

/** Where util-linux's setpriv is there, a child is killed with the target even when the target is SIGKILLed. */
const dieWithUs = existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--'] : [];

export async function startServices(ports: Record<Child, number>, ordersUrl: string): Promise<Services> {
  const urls = Object.fromEntries(CHILDREN.map((c) => [c, `http://127.0.0.1:${ports[c]}`])) as Record<Child, string>;
  const secret = randomBytes(16).toString('hex');
  const base: Record<string, string> = {
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl(),
    REDIS_URL,
    REDIS_PREFIX,
    NATS_URL,
    EVENT_PREFIX,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ADMIN_TOKEN: SERVICE_TOKEN,
    // No identity here: shoppers are guests, and nothing asks for a staff token.
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    SHUTDOWN_GRACE_SECONDS: '1',
    UPSTREAM_ORDERS_URL: ordersUrl,
    ...Object.fromEntries(CHILDREN.map((c) => [`UPSTREAM_${c.toUpperCase()}_URL`, urls[c]])),
  };
  const own: Record<Child, Record<string, string>> = {
    catalog: {},
    inventory: {},
    cart: { CATALOG_URL: urls.catalog, INVENTORY_URL: urls.inventory },
    payments: { PAYMENTS_PROVIDER: 'sandbox', SANDBOX_WEBHOOK_SECRET: secret, PUBLIC_BASE_URL: urls.payments },
    fulfillment: { DEVCARRIER_WEBHOOK_SECRET: secret },
  };
  const procs: ChildProcess[] = [];
  let death: string | undefined;
  let stopping = false;
  for (const c of CHILDREN) {
    const [cmd, ...args] = [...dieWithUs, process.execPath, '--import', 'tsx', `services/${c}/src/main.ts`];
    const child = spawnChild(cmd ?? process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...base, ...own[c], PORT: String(ports[c]) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-2_000);
    });
    child.once('exit', (code, signal) => {
      if (!stopping) death ??= `${c} exited (${code ?? signal}): ${err.trim()}`;
    });
    procs.push(child);
  }
  process.once('exit', () => {
    for (const p of procs) p.kill('SIGKILL');
  });
  try {
    await Promise.all(CHILDREN.map((c) => ready(`${urls[c]}/readyz`, () => death)));
  } catch (err) {
    for (const p of procs) p.kill('SIGKILL');
    throw err;
  }
  return {
    urls,
    pids: Object.fromEntries(CHILDREN.map((c, i) => [c, procs[i]?.pid ?? 0])) as Record<Child, number>,
    died: () => death,
    /**
     * At once and for good: their data goes with the database, and the harness kills the target
     * 5 s after asking it to stop, which would leave slower children running on their own.
     */
    async stop() {
      stopping = true;
      const exits = procs.map((p) =>
        p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r)),
      );
      for (const p of procs) p.kill('SIGKILL');
      await Promise.all(exits);
    },
  };
}

async function ready(url: string, died: () => string | undefined, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const d = died();
    if (d) throw new Error(d);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`${url} not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Sku {
  readonly sku: string;
  readonly productId: string;
  readonly price: number;
}

/**
 * Demo products in the catalog (its own seeder), the SKUs the catalog sells in USD as the cart
 * will price them, and a billion units of each at one warehouse, so no order is short of stock.
 */
export async function seedStore(catalogUrl: string, products = 40): Promise<Sku[]> {
  const catalog = createDb({ url: databaseUrl(), schema: 'catalog', max: 2 });
  const inventory = createDb({ url: databaseUrl(), schema: 'inventory', max: 1 });
  try {
    await seedCatalog(catalog, { products, seed: 42 });
    const { rows } = await catalog.query<{ sku: string }>(
      `SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id
        WHERE p.status = 'published' ORDER BY v.sku LIMIT 100`,
    );
    const q = new URLSearchParams([...rows.map((r): [string, string] => ['sku', r.sku]), ['currency', 'USD']]);
    const res = await fetch(`${catalogUrl}/skus?${q}`);
    if (!res.ok) throw new Error(`catalog /skus answered ${res.status}: ${await res.text()}`);
    const items = (
      (await res.json()) as { items: { sku: string; productId: string; price: { amount: number } | null }[] }
    ).items;
    const skus = items.flatMap((i) => (i.price ? [{ sku: i.sku, productId: i.productId, price: i.price.amount }] : []));
    if (skus.length === 0) throw new Error('the seeded catalog sells nothing in USD');
    await inventory.query(
      `INSERT INTO locations (code, name, kind, address, pickup_enabled, priority, created_at, updated_at)
       VALUES ($1, 'Bench warehouse', 'warehouse', $2, false, 10, now(), now())`,
      [LOCATION, JSON.stringify({ line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' })],
    );
    await inventory.query(
      `INSERT INTO stock (sku, location, on_hand, reserved, updated_at)
       SELECT s, $2, 1000000000, 0, now() FROM unnest($1::text[]) s`,
      [skus.map((s) => s.sku), LOCATION],
    );
    return skus;
  } finally {
    await catalog.close();
    await inventory.close();
  }
}

export interface PooledCart {
  readonly id: string;
  readonly token: string;
}

/**
 * Guest carts ready to check out (one line of a random SKU, standard shipping, California tax),
 * written straight into the cart's tables as cart-target.ts does: shopping is not what is measured,
 * and thousands of carts through the API would take minutes. Checkout then reads and prices each
 * one through the cart service like any other.
 */
export async function insertCarts(db: Db, skus: readonly Sku[], n: number): Promise<PooledCart[]> {
  const carts = Array.from({ length: n }, () => ({ id: newId(), token: randomBytes(32).toString('base64url') }));
  const picks = carts.map((_, i) => skus[i % skus.length] as Sku);
  await db.tx(async (tx) => {
    await tx.query(
      `INSERT INTO carts (id, token_hash, currency, shipping_option, tax_region, created_at, updated_at)
       SELECT id, h, 'USD', 'standard', 'US-CA', now(), now() FROM unnest($1::uuid[], $2::text[]) AS t(id, h)`,
      [carts.map((c) => c.id), carts.map((c) => createHash('sha256').update(c.token).digest('hex'))],
    );
    await tx.query(
      `INSERT INTO cart_lines (cart_id, sku, product_id, quantity, unit_price, added_at)
       SELECT c, s, p::uuid, 1, u, now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS t(c, s, p, u)`,
      [carts.map((c) => c.id), picks.map((s) => s.sku), picks.map((s) => s.productId), picks.map((s) => s.price)],
    );
  });
  return carts;
}

/** A sandbox payment method that always authorizes and captures (tokenizing is the browser's job). */
export async function sandboxCard(paymentsUrl: string): Promise<string> {
  const res = await fetch(`${paymentsUrl}/sandbox/payment-methods`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      number: '4242424242424242',
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 2,
      cvc: '123',
    }),
  });
  if (res.status !== 201) throw new Error(`sandbox card: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

const TICKS_PER_SEC = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU (user + system, ms) each of these processes has used so far; a process gone is left out. */
export function cpuMs(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SEC);
    } catch {
      // Exited, or not readable here.
    }
  }
  return out;
}
