import type { EventPayload } from '@storefront/contracts';
import { connectBroadcast } from '@storefront/kit';
import { jsonOf, silentLog, testEnv } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeStock, invalidateOnEvents } from './events.ts';
import { applyStockLevel, stockVersion } from './stock.ts';
import { type TestCatalog, testCatalog } from './test-app.ts';

/**
 * Inventory's stock.changed.v1 through the real outbox relay, NATS JetStream and the catalog's
 * durable consumer; reads go through the cache, which the catalog's own broadcast invalidates.
 */
let t: TestCatalog;
let closeBroadcast: () => Promise<void>;

beforeAll(async () => {
  t = await testCatalog();
  consumeStock(t.bus, t.bus.outbox, () => new Date());
  const broadcast = await connectBroadcast({ natsUrl: testEnv().natsUrl, prefix: t.eventPrefix, log: silentLog() });
  invalidateOnEvents(broadcast, t.deps.cache, silentLog());
  closeBroadcast = () => broadcast.close();
  await t.bus.start();
});
afterAll(async () => {
  await closeBroadcast();
  await t.close();
});

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** What inventory would publish for one row; resolves once the catalog's consumer has handled it. */
async function stockChanged(sku: string, location: string, available: number, version: number | undefined) {
  const payload: EventPayload<'stock.changed.v1'> = {
    sku,
    location,
    onHand: available,
    reserved: 0,
    available,
    reason: 'adjustment',
    ...(version === undefined ? {} : { version }),
  };
  const id = await t.db.tx((tx) => t.bus.outbox.add(tx, 'stock.changed.v1', payload));
  const handled = async () =>
    (await t.db.query(`SELECT 1 FROM inbox WHERE consumer = 'catalog-stock' AND event_id = $1`, [id])).rowCount;
  expect(await eventually(handled, (n) => n === 1)).toBe(1);
  return id;
}

async function product(slug: string, skus: string[], categoryId?: string) {
  const res = await t.admin('POST', '/products', {
    name: `Lumen ${slug} Lamp`,
    slug,
    status: 'published',
    ...(categoryId ? { categoryId } : {}),
    variants: skus.map((sku) => ({ sku, prices: [{ currency: 'USD', amount: 2500 }] })),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return jsonOf(res);
}

const search = async (query: string) => jsonOf(await t.get(`/products?${query}`));
const slugsOf = (page: { items: { slug: string }[] }) => page.items.map((i) => i.slug).sort();
const flips = async (productId: string) =>
  (await t.events('product.updated.v1')).filter(
    (e) => e.payload.productId === productId && (e.payload.changed as string[]).includes('inStock'),
  ).length;

describe('availability from stock.changed.v1', () => {
  let lamp: { id: string };
  let category: { id: string };

  beforeAll(async () => {
    category = await jsonOf(await t.admin('POST', '/categories', { name: 'Lighting', slug: 'lighting' }));
    lamp = await product('desk', ['LAMP-1', 'LAMP-2'], category.id);
    await product('floor', ['FLOOR-1'], category.id);
  });

  it('an event flips the filter, the flag, the facet count and the cached reads', async () => {
    // Read first, so the answers are cached and must be invalidated by the flip.
    expect(slugsOf(await search('inStock=true&q=lumen'))).toEqual([]);
    expect(slugsOf(await search('inStock=false&q=lumen'))).toEqual(['desk', 'floor']);
    const before = await jsonOf(await t.get('/products/desk'));
    expect(before.inStock).toBe(false);
    expect((await search('q=lumen')).facets.inStock).toBe(0);

    await stockChanged('LAMP-2', 'wh-a', 3, 1_000);

    const detail = async () => jsonOf(await t.get('/products/desk'));
    const after = await eventually(detail, (p) => p.inStock === true);
    expect(after.inStock).toBe(true);
    expect(after.variants.map((v: { sku: string; inStock: boolean }) => [v.sku, v.inStock])).toEqual([
      ['LAMP-1', false],
      ['LAMP-2', true],
    ]);
    const inStock = await eventually(
      () => search('inStock=true&q=lumen'),
      (p) => p.total === 1,
    );
    expect(slugsOf(inStock)).toEqual(['desk']);
    expect(inStock.items[0].inStock).toBe(true);
    expect(slugsOf(await search('inStock=false&q=lumen'))).toEqual(['floor']);
    // The facet counts the results in stock over the filtered set, and on the browse path.
    expect((await search('q=lumen')).facets.inStock).toBe(1);
    const browse = await jsonOf(await t.get('/categories/lighting/products'));
    expect(browse.facets.inStock).toBe(1);
    const listed = await jsonOf(await t.get('/categories/lighting/products?inStock=true'));
    expect(slugsOf(listed)).toEqual(['desk']);
    expect(await flips(lamp.id)).toBe(1);
  });

  it('older and repeated events change nothing; the newest level wins', async () => {
    await stockChanged('LAMP-2', 'wh-a', 0, 2_000); // sold out
    const detail = async () => jsonOf(await t.get('/products/desk'));
    expect((await eventually(detail, (p) => p.inStock === false)).inStock).toBe(false);
    expect(await flips(lamp.id)).toBe(2);

    await stockChanged('LAMP-2', 'wh-a', 7, 1_500); // late: written before the sale
    await stockChanged('LAMP-2', 'wh-a', 0, 2_000); // the same change again
    const level = await t.db.query('SELECT available, version::int FROM stock_levels WHERE sku = $1', ['LAMP-2']);
    expect(level.rows).toEqual([{ available: 0, version: 2_000 }]);
    expect(slugsOf(await search('inStock=true&q=lumen'))).toEqual([]);
    expect(await flips(lamp.id)).toBe(2);
  });

  it('a SKU is in stock while any location has some', async () => {
    await stockChanged('LAMP-1', 'wh-a', 2, 10);
    await stockChanged('LAMP-1', 'store', 1, 11);
    expect(await flips(lamp.id)).toBe(3);
    await stockChanged('LAMP-1', 'wh-a', 0, 12);
    const inStock = async () => slugsOf(await search('inStock=true&q=lumen'));
    expect(await eventually(inStock, (s) => s.length === 1)).toEqual(['desk']);
    expect(await flips(lamp.id)).toBe(3);
    await stockChanged('LAMP-1', 'store', 0, 13);
    expect(await eventually(inStock, (s) => s.length === 0)).toEqual([]);
    expect(await flips(lamp.id)).toBe(4);
  });

  it('stock reported before its variant exists counts once the variant is created', async () => {
    await stockChanged('SHADE-1', 'wh-a', 5, undefined); // no version: the write time orders it
    await product('shade', ['SHADE-1']);
    const page = await search('inStock=true&q=shade');
    expect(slugsOf(page)).toEqual(['shade']);
  });

  it('applies each level once and never lets an older one back (direct)', async () => {
    const level = { sku: 'DIRECT-1', location: 'wh-a', available: 4, version: 50 };
    await product('direct', ['DIRECT-1']);
    const first = await t.db.tx((tx) => applyStockLevel(tx, level, new Date()));
    expect(first?.id).toBeDefined();
    expect(await t.db.tx((tx) => applyStockLevel(tx, level, new Date()))).toBeNull();
    expect(await t.db.tx((tx) => applyStockLevel(tx, { ...level, available: 0, version: 49 }, new Date()))).toBeNull();
    const row = await t.db.query('SELECT available FROM stock_levels WHERE sku = $1', ['DIRECT-1']);
    expect(row.rows).toEqual([{ available: 4 }]);
  });
});

describe('stockVersion', () => {
  it('is the stamped version, else the write time in microseconds', () => {
    const base = { sku: 'A', location: 'w', onHand: 1, reserved: 0, available: 1 };
    expect(stockVersion({ payload: { ...base, version: 42 }, occurredAt: '2025-01-01T00:00:00.000Z' })).toBe(42);
    expect(stockVersion({ payload: base, occurredAt: '2025-01-01T00:00:00.001Z' })).toBe(
      Date.UTC(2025, 0, 1) * 1000 + 1000,
    );
  });
});
