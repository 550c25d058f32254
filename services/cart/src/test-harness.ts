import { fileURLToPath } from 'node:url';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
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
import { subscribeOrderEvents } from './order-events.ts';
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

/**
 * `consumers: true` also runs the cart's durable consumer (order events) on a stream of the test's
 * own: `orders.place/cancel` publish those events as the orders service does (its own outbox and
 * relay on the same stream), and `waitFor` polls until the consumer has applied them.
 */
export async function startCart(overrides: Partial<CartDeps> = {}, opts: { consumers?: boolean } = {}) {
  const env = testEnv();
  const db = await migratedCartDb();
  const log = silentLog();
  const redis = await redisReady(
    createRedis({ url: env.redisUrl, prefix: testRedisPrefix(), commandTimeoutMs: 2_000 }),
  );
  const prefix = testEventPrefix();
  const bus = await connectBus({
    service: 'cart',
    natsUrl: env.natsUrl,
    prefix,
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
  let orders: OrdersStub | undefined;
  if (opts.consumers) {
    subscribeOrderEvents(bus, { cache: deps.cache, clock });
    await bus.start();
    orders = await ordersStub(prefix);
  }
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
    /** The orders service's side of the order events (only with `consumers: true`). */
    get orders(): OrdersStub {
      if (!orders) throw new Error('start the cart with { consumers: true } to publish order events');
      return orders;
    },
    /** Polls until `fn` gives a value (the consumer is asynchronous); fails after `timeoutMs`. */
    async waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v !== undefined && v !== false) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    /** How many events the cart's consumer took in (applied or recognised as duplicates), from its inbox. */
    async inboxCount(): Promise<number> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox');
      return rows[0]?.n ?? 0;
    },
    async close() {
      await orders?.close();
      await bus.close();
      redis.disconnect();
      await db.drop();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startCart>>;

export interface OrdersStub {
  /** Publishes order.placed.v1 for `cartId` (no cartId: as orders did before the field); returns the event id. */
  place(o: { orderId?: string; cartId?: string; customerId?: string | null; id?: string }): Promise<PublishedOrder>;
  cancel(orderId: string, o?: { customerId?: string | null; id?: string }): Promise<PublishedOrder>;
  /** Publishes an event again with its id (a redelivery the inbox must absorb), or a new one built like it. */
  again(e: PublishedOrder, occurredAt?: Date): Promise<void>;
  close(): Promise<void>;
}

export interface PublishedOrder {
  readonly eventId: string;
  readonly orderId: string;
  readonly subject: 'order.placed.v1' | 'order.cancelled.v1';
  readonly payload: Record<string, unknown>;
}

/**
 * The orders service as the bus sees it: its own schema with the kit's outbox, relayed to the
 * test's stream, with the payloads orders writes (contracts' order-events.ts).
 */
async function ordersStub(prefix: string): Promise<OrdersStub> {
  const db = testDb('cartorders');
  await migrate(db, [busMigrationsDir]);
  const bus = await connectBus({
    service: 'orders',
    natsUrl: testEnv().natsUrl,
    prefix,
    db,
    log: silentLog(),
    metrics: createMetrics({ service: 'orders-stub', runtime: false }),
    relayPollMs: 100,
    shutdownGraceMs: 1_000,
  });
  await bus.start();
  const publish = async (
    subject: PublishedOrder['subject'],
    orderId: string,
    payload: Record<string, unknown>,
    id: string,
  ): Promise<PublishedOrder> => {
    // biome-ignore lint/suspicious/noExplicitAny: the payloads are built below; outbox.add parses them with the contract.
    await db.tx((tx) => bus.outbox.add(tx, subject, payload as any, { id }));
    await bus.relayNow();
    return { eventId: id, orderId, subject, payload };
  };
  const nc = await connect({ servers: testEnv().natsUrl });
  let copies = 0;
  const number = (orderId: string) => `SF-${orderId.slice(-8).toUpperCase()}`;
  return {
    place(o) {
      const orderId = o.orderId ?? newId();
      return publish(
        'order.placed.v1',
        orderId,
        {
          orderId,
          orderNumber: number(orderId),
          customerId: o.customerId ?? null,
          email: o.customerId ? null : 'guest@example.test',
          ...(o.cartId ? { cartId: o.cartId } : {}),
          total: { amount: 4000, currency: 'USD' },
          lines: [{ sku: 'LAMP', qty: 1, unitPrice: 4000 }],
        },
        o.id ?? newId(),
      );
    },
    cancel(orderId, o = {}) {
      return publish(
        'order.cancelled.v1',
        orderId,
        {
          orderId,
          orderNumber: number(orderId),
          customerId: o.customerId ?? null,
          email: null,
          reason: 'card declined: insufficient funds',
        },
        o.id ?? newId(),
      );
    },
    async again(e, occurredAt = new Date()) {
      // The envelope straight onto the stream under a msg id of its own (as a redrive, a lost
      // dedupe window or a late retry delivers it); `occurredAt` may be set back in time.
      const body = { id: e.eventId, subject: e.subject, occurredAt: occurredAt.toISOString(), payload: e.payload };
      await jetstream(nc).publish(`${prefix}.${e.subject}`, JSON.stringify(body), {
        msgID: `${e.eventId}:copy:${++copies}`,
      });
    },
    async close() {
      await nc.close();
      await bus.close();
      await db.drop();
    },
  };
}
