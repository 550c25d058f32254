import { createRedis } from '@storefront/kit';
import { silentLog, testEnv, testRedisPrefix } from '@storefront/kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createCartCache } from './cart-cache.ts';
import type { StoredCart } from './domain.ts';
import { redisReady } from './test-harness.ts';

const cart = (version: number, lines = version): StoredCart => ({
  id: '0199a83f-8840-7236-b5b8-ba24de364311',
  customerId: null,
  tokenHash: 'ab'.repeat(32),
  currency: 'USD',
  status: 'open',
  mergedInto: null,
  code: null,
  shippingOption: null,
  taxRegion: null,
  version,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  lines: Array.from({ length: lines }, (_, i) => ({
    sku: `S${i}`,
    productId: '0199a83f-8840-7236-b5b8-ba24de364312',
    quantity: 1,
    unitPrice: 100,
    addedAt: '2025-01-01T00:00:00.000Z',
  })),
});

describe('the Redis read cache of carts', () => {
  const redis = createRedis({ url: testEnv().redisUrl, prefix: testRedisPrefix() });
  afterAll(() => redis.disconnect());

  it('never lets an older version replace a newer one (a slow read racing a write)', async () => {
    const cache = createCartCache({ redis: await redisReady(redis), log: silentLog(), ttlMs: 60_000 });
    await cache.put(cart(3));
    await cache.put(cart(2));
    expect((await cache.get(cart(1).id))?.version).toBe(3);
    await cache.put(cart(4));
    expect((await cache.get(cart(1).id))?.lines).toHaveLength(4);
  });

  it('without Redis, misses (reads go to Postgres) and never throws', async () => {
    const dead = createRedis({ url: 'redis://127.0.0.1:1', prefix: 'x:', commandTimeoutMs: 100 });
    const cache = createCartCache({ redis: dead, log: silentLog(), ttlMs: 60_000 });
    await expect(cache.put(cart(1))).resolves.toBeUndefined();
    await expect(cache.get(cart(1).id)).resolves.toBeUndefined();
    dead.disconnect();
  });
});
