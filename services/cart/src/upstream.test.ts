import { newId } from '@storefront/contracts';
import {
  type Broadcast,
  busMigrationsDir,
  connectBroadcast,
  connectBus,
  createMetrics,
  migrate,
} from '@storefront/kit';
import { silentLog, testDb, testEnv, testEventPrefix } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedCatalog, httpCatalog } from './catalog-client.ts';
import { invalidateOnEvents } from './events.ts';
import { httpInventory } from './inventory-client.ts';
import { type Harness, startCart } from './test-harness.ts';
import { catalogServer, type FakeSku, inventoryServer } from './test-upstreams.ts';

/**
 * The cart against real HTTP servers that speak the catalog's and inventory's JSON, and a real
 * NATS broadcast of the catalog's price events (published through a catalog-side outbox).
 */
describe('cart over HTTP to catalog and inventory', () => {
  const skus = new Map<string, FakeSku>();
  const stock = new Map<string, number>();
  let catalog: Awaited<ReturnType<typeof catalogServer>>;
  let inventory: Awaited<ReturnType<typeof inventoryServer>>;
  let h: Harness;
  let broadcast: Broadcast;
  let publisher: Awaited<ReturnType<typeof connectBus>>;
  let publisherDb: ReturnType<typeof testDb>;
  const lamp = newId();

  beforeAll(async () => {
    skus.set('LAMP-1', { productId: lamp, categoryIds: [], prices: { USD: 4000, EUR: 3700 } });
    skus.set('BULB-1', { productId: newId(), categoryIds: [], prices: { USD: 250 } });
    stock.set('LAMP-1', 3);
    stock.set('BULB-1', 40);
    catalog = await catalogServer(skus);
    inventory = await inventoryServer(stock);
    const client = cachedCatalog(httpCatalog({ baseUrl: catalog.url, timeoutMs: 300 }), {
      ttlMs: 60_000,
      negativeTtlMs: 0,
    });
    h = await startCart({ catalog: client, inventory: httpInventory({ baseUrl: inventory.url, timeoutMs: 300 }) });
    const prefix = testEventPrefix();
    broadcast = await connectBroadcast({ natsUrl: testEnv().natsUrl, prefix, log: silentLog() });
    invalidateOnEvents(broadcast, client, silentLog());
    publisherDb = testDb('catpub');
    await migrate(publisherDb, [busMigrationsDir]);
    publisher = await connectBus({
      service: 'catalog',
      natsUrl: testEnv().natsUrl,
      prefix,
      db: publisherDb,
      log: silentLog(),
      metrics: createMetrics({ service: 'catalog-stub', runtime: false }),
      relayPollMs: 50,
      shutdownGraceMs: 500,
    });
    await publisher.start();
  });
  afterAll(async () => {
    await publisher.close();
    await publisherDb.drop();
    await broadcast.close();
    await h.close();
    await catalog.close();
    await inventory.close();
  });

  it('prices a line from the catalog and checks stock with inventory, then reads from the cache', async () => {
    const { id, token } = await h.guestCart();
    const added = await h.call('POST', `/carts/${id}/lines`, {
      cartToken: token,
      body: { sku: 'LAMP-1', quantity: 2 },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.lines[0]).toMatchObject({
      sku: 'LAMP-1',
      productId: lamp,
      unitPrice: 4000,
      name: 'Product LAMP-1',
    });
    const hits = catalog.state.hits;
    for (let i = 0; i < 5; i++) await h.call('GET', `/carts/${id}`, { cartToken: token });
    expect(catalog.state.hits).toBe(hits);
    const over = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'LAMP-1', quantity: 2 } });
    expect(over.body).toMatchObject({ code: 'out_of_stock', requested: 4, available: 3 });
    const unknown = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'NOPE-1' } });
    expect(unknown.body.code).toBe('unknown_sku');
  });

  it('a price event drops the cached price on every replica; the next read flags the change', async () => {
    const { id, token } = await h.guestCart();
    await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'LAMP-1' } });
    skus.set('LAMP-1', { productId: lamp, categoryIds: [], prices: { USD: 4400, EUR: 3700 } });
    // Still cached: the catalog changed but said nothing yet.
    expect((await h.call('GET', `/carts/${id}`, { cartToken: token })).body.lines[0].unitPrice).toBe(4000);
    await publisherDb.tx((tx) =>
      publisher.outbox.add(tx, 'product.price-changed.v1', {
        productId: lamp,
        slug: 'lamp-1',
        sku: 'LAMP-1',
        currency: 'USD',
        amount: 4400,
        previousAmount: 4000,
      }),
    );
    await publisher.relayNow();
    await expect
      .poll(async () => (await h.call('GET', `/carts/${id}`, { cartToken: token })).body.lines[0], { timeout: 5_000 })
      .toMatchObject({ unitPrice: 4400, seenUnitPrice: 4000, priceChanged: true });
  });

  it.each(['error', 'garbage', 'hang'] as const)(
    'catalog %s: adding is 503, reading shows the cart at seen prices',
    async (mode) => {
      const { id, token } = await h.guestCart();
      await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'BULB-1', quantity: 2 } });
      catalog.state.mode = mode;
      try {
        const add = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: `X-${mode}` } });
        expect([add.status, add.body.code]).toEqual([503, 'unavailable']);
        // Drop the cached price (as an event would), so the read has to ask the failing catalog.
        h.deps.catalog.forgetSku('BULB-1');
        const read = await h.call('GET', `/carts/${id}`, { cartToken: token });
        expect(read.status).toBe(200);
      } finally {
        catalog.state.mode = 'ok';
      }
    },
  );

  it('inventory failing does not block adding; answering again restores the check', async () => {
    const { id, token } = await h.guestCart('EUR');
    inventory.state.mode = 'hang';
    const started = Date.now();
    const added = await h.call('POST', `/carts/${id}/lines`, {
      cartToken: token,
      body: { sku: 'LAMP-1', quantity: 5 },
    });
    inventory.state.mode = 'ok';
    expect(added.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    const more = await h.call('PATCH', `/carts/${id}/lines/LAMP-1`, { cartToken: token, body: { quantity: 6 } });
    expect(more.body).toMatchObject({ code: 'out_of_stock', available: 3 });
  });
});
