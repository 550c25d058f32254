import { connectBroadcast } from '@storefront/kit';
import { jsonOf, silentLog, testEnv } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidateOnEvents } from './events.ts';
import { type TestCatalog, testCatalog } from './test-app.ts';

/**
 * Two replicas of the catalog on one database and one Redis. The writer's events go through the
 * real outbox relay to NATS; the reader hears them on its broadcast subscription and drops its
 * in-process copies, which otherwise would live for a minute.
 */
let writer: TestCatalog;
let reader: TestCatalog;
let closeBroadcast: () => Promise<void>;

beforeAll(async () => {
  writer = await testCatalog();
  reader = await testCatalog({
    db: writer.db,
    redis: writer.redis,
    cache: { localTtlMs: 60_000, productTtlMs: 60_000, listTtlMs: 60_000 },
  });
  const broadcast = await connectBroadcast({
    natsUrl: testEnv().natsUrl,
    prefix: writer.eventPrefix,
    log: silentLog(),
  });
  invalidateOnEvents(broadcast, reader.deps.cache, silentLog());
  closeBroadcast = () => broadcast.close();
  await writer.bus.start();
});
afterAll(async () => {
  await closeBroadcast();
  await reader.close();
  await writer.close();
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

describe('cache invalidation across replicas', () => {
  it('a price change on one replica reaches the cached reads of another', async () => {
    const created = await writer.admin('POST', '/products', {
      name: 'Sonique Halo Speaker',
      slug: 'halo-speaker',
      status: 'published',
      variants: [{ sku: 'HALO-1', prices: [{ currency: 'USD', amount: 9900 }] }],
    });
    expect(created.status).toBe(201);
    const price = async () => (await jsonOf(await reader.get('/products/halo-speaker'))).variants[0].prices[0].amount;
    const listed = async () =>
      (await jsonOf(await reader.get('/products?q=halo')))?.items.find(
        (i: { slug: string }) => i.slug === 'halo-speaker',
      )?.price?.amount;
    expect(await eventually(price, (v) => v === 9900)).toBe(9900);
    expect(await eventually(listed, (v) => v === 9900)).toBe(9900);

    expect((await writer.admin('PUT', '/variants/HALO-1/prices/USD', { amount: 7900 })).status).toBe(200);
    expect(await eventually(price, (v) => v === 7900)).toBe(7900);
    expect(await eventually(listed, (v) => v === 7900)).toBe(7900);
  });

  it('a brand rename reaches every cached product of that brand', async () => {
    const brand = await jsonOf(await writer.admin('POST', '/brands', { name: 'Aurion', slug: 'aurion-x' }));
    await writer.admin('POST', '/products', {
      name: 'Aurion Pulse Headphones',
      slug: 'pulse-headphones',
      brandId: brand.id,
      status: 'published',
      variants: [{ sku: 'PULSE-1', prices: [{ currency: 'USD', amount: 19900 }] }],
    });
    const brandName = async () => (await jsonOf(await reader.get('/products/pulse-headphones'))).brand?.name;
    expect(await eventually(brandName, (v) => v === 'Aurion')).toBe('Aurion');
    await writer.admin('PATCH', `/brands/${brand.id}`, { name: 'Aurion Audio' });
    expect(await eventually(brandName, (v) => v === 'Aurion Audio')).toBe('Aurion Audio');
  });
});
