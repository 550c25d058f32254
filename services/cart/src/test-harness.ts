import { fileURLToPath } from 'node:url';
import { newId } from '@storefront/contracts';
import {
  buildApp,
  busMigrationsDir,
  connectBus,
  createMetrics,
  createRedis,
  createVerifier,
  type Db,
  migrate,
  type Redis,
} from '@storefront/kit';
import { silentLog, testDb, testEnv, testEventPrefix, testRedisPrefix } from '@storefront/kit/testing';
import { type CartDeps, createApp } from './app.ts';
import { createCartCache } from './cart-cache.ts';
import type { CatalogClient, SkuInfo } from './catalog-client.ts';
import type { InventoryClient } from './inventory-client.ts';
import { createPromotionSource } from './promotion-source.ts';
import { DEFAULT_SHIPPING, DEFAULT_TAX } from './rates.ts';
import { testKeys } from './test-keys.ts';
import { UpstreamFailed } from './upstream.ts';

/**
 * The cart as its tests run it: a fresh schema migrated like production, the real outbox, Redis
 * under a private prefix, real token verification (a local key set), and fakes only at the HTTP
 * boundary (catalog and inventory, which are other services; upstream.test.ts uses real HTTP).
 */
export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
export const SERVICE_TOKEN = 'test-service-token-0123456789';

/** A catalog in memory: `set(sku, { USD: 1000 })`, `publish/unpublish`, `down`. */
export function fakeCatalog() {
  const products = new Map<string, Omit<SkuInfo, 'price'> & { prices: Record<string, number> }>();
  let down = false;
  let calls = 0;
  const client: CatalogClient & {
    set(sku: string, prices: Record<string, number>, extra?: { productId?: string; categoryIds?: string[] }): string;
    remove(sku: string): void;
    setDown(v: boolean): void;
    readonly calls: number;
  } = {
    async lookup(skus, currency) {
      calls++;
      if (down) throw new UpstreamFailed('catalog', 'down (test)');
      return new Map(
        skus.map((sku) => {
          const p = products.get(sku);
          return [sku, p ? { ...p, price: p.prices[currency] ?? null } : null];
        }),
      );
    },
    forgetSku() {},
    forgetProduct() {},
    set(sku, prices, extra = {}) {
      const productId = extra.productId ?? products.get(sku)?.productId ?? newId();
      products.set(sku, {
        sku,
        productId,
        slug: sku.toLowerCase(),
        name: `Product ${sku}`,
        image: null,
        categoryIds: extra.categoryIds ?? products.get(sku)?.categoryIds ?? [],
        prices,
      });
      return productId;
    },
    remove(sku) {
      products.delete(sku);
    },
    setDown(v) {
      down = v;
    },
    get calls() {
      return calls;
    },
  };
  return client;
}

/** Inventory in memory: `stock.set(sku, n)`; an unset SKU has 0; `setDown(true)` fails every call. */
export function fakeInventory() {
  const stock = new Map<string, number>();
  let down = false;
  const client: InventoryClient & { stock: Map<string, number>; setDown(v: boolean): void } = {
    stock,
    async availability(skus) {
      if (down) throw new UpstreamFailed('inventory', 'down (test)');
      return new Map(skus.map((s) => [s, stock.get(s) ?? 0]));
    },
    setDown(v) {
      down = v;
    },
  };
  return client;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: assertions probe arbitrary JSON.
  readonly body: any;
}

export interface CallOptions {
  readonly body?: unknown;
  /** An access token (Authorization: Bearer). */
  readonly token?: string;
  /** A guest cart's secret (X-Cart-Token). */
  readonly cartToken?: string;
  readonly headers?: Record<string, string>;
}

/** The kit's client fails fast while connecting (no offline queue); tests wait so the cache is really used. */
export async function redisReady(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  return redis;
}

export async function migratedCartDb(): Promise<Db & { drop(): Promise<void> }> {
  const db = testDb('cart');
  await migrate(db, [busMigrationsDir, migrationsDir]);
  return db;
}

export async function startCart(overrides: Partial<CartDeps> = {}) {
  const env = testEnv();
  const db = await migratedCartDb();
  const log = silentLog();
  const redis = await redisReady(
    createRedis({ url: env.redisUrl, prefix: testRedisPrefix(), commandTimeoutMs: 2_000 }),
  );
  const bus = await connectBus({
    service: 'cart',
    natsUrl: env.natsUrl,
    prefix: testEventPrefix(),
    db,
    log,
    metrics: createMetrics({ service: 'cart-test', runtime: false }),
    relayPollMs: 100,
    shutdownGraceMs: 1_000,
  });
  const keys = await testKeys();
  const catalog = fakeCatalog();
  const inventory = fakeInventory();
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const deps: CartDeps = {
    db,
    outbox: bus.outbox,
    cache: createCartCache({ redis, log, ttlMs: 60_000 }),
    catalog,
    inventory,
    promotions: createPromotionSource({ db, ttlMs: 0 }),
    verifier: createVerifier({ jwks: keys.jwks, issuer: keys.issuer, audience: keys.audience }),
    serviceToken: SERVICE_TOKEN,
    limits: { maxLineQuantity: 10, maxLines: 5 },
    shipping: DEFAULT_SHIPPING,
    tax: DEFAULT_TAX,
    clock,
    newId: () => newId(),
    log,
    ...overrides,
  };
  const kit = buildApp(createApp(deps), { service: 'cart', log });

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.cartToken !== undefined) headers['x-cart-token'] = o.cartToken;
    const res = await kit.app.request(path, {
      method,
      headers,
      ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body };
  };

  return {
    app: kit.app,
    db,
    redis,
    deps,
    catalog,
    inventory,
    keys,
    call,
    /** Moves the service's clock. */
    advance(ms: number) {
      offsetMs += ms;
    },
    customer: (id: string = newId()) => keys.sign({ sub: id, roles: ['customer'] }),
    staff: (roles: string[] = ['merchandiser'], mfa = true) => keys.sign({ sub: newId(), roles, mfa }),
    async events(subject?: string) {
      const { rows } = await db.query<{ subject: string; payload: Record<string, unknown> }>(
        'SELECT subject, payload FROM outbox WHERE $1::text IS NULL OR subject = $1 ORDER BY seq',
        [subject ?? null],
      );
      return rows;
    },
    /** A guest cart with its token. */
    async guestCart(currency = 'USD') {
      const r = await call('POST', '/carts', { body: { currency } });
      if (r.status !== 201) throw new Error(`guest cart: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.cart.id as string, token: r.body.token as string };
    },
    async close() {
      await bus.close();
      redis.disconnect();
      await db.drop();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startCart>>;
