import { createRedis, type Redis } from '@storefront/kit';
import { silentLog, testEnv, testRedisPrefix } from '@storefront/kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type CacheOptions, createCatalogCache } from './cache.ts';

const clients: Redis[] = [];
const redis = (url = testEnv().redisUrl, prefix = testRedisPrefix()) => {
  const r = createRedis({ url, prefix });
  clients.push(r);
  return r;
};
/** The kit's client fails fast instead of queueing while it connects; tests start connected. */
const connected = async (url?: string) => {
  const r = redis(url);
  if (r.status !== 'ready') await new Promise((resolve) => r.once('ready', resolve));
  return r;
};
afterAll(() => {
  for (const r of clients) r.disconnect();
});

/** A clock the test moves, and a loader that counts its calls. */
async function setup(opts: Partial<CacheOptions> = {}) {
  let now = 1_000_000;
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  const cache = createCatalogCache({ redis: await connected(), log: silentLog(), now: clock.now, ...opts });
  return { cache, clock };
}

function counter<T>(value: () => T) {
  let calls = 0;
  return {
    load: async () => {
      calls++;
      return value();
    },
    get calls() {
      return calls;
    },
  };
}

describe('catalog cache', () => {
  it('reads through: memory first, then Redis, then the loader', async () => {
    const shared = await connected();
    const a = createCatalogCache({ redis: shared, log: silentLog() });
    const b = createCatalogCache({ redis: shared, log: silentLog() });
    const src = counter(() => ({ slug: 'lamp', price: 100 }));
    expect(await a.product('lamp', src.load)).toEqual({ slug: 'lamp', price: 100 });
    expect(await a.product('lamp', src.load)).toEqual({ slug: 'lamp', price: 100 });
    // Another replica finds it in Redis.
    expect(await b.product('lamp', src.load)).toEqual({ slug: 'lamp', price: 100 });
    expect(src.calls).toBe(1);
  });

  it('does not cache a missing product', async () => {
    const { cache } = await setup();
    const src = counter(() => null);
    await cache.product('nope', src.load);
    await cache.product('nope', src.load);
    expect(src.calls).toBe(2);
  });

  it('drops a product by id, slug and previous slug on invalidation, everywhere', async () => {
    const shared = await connected();
    const a = createCatalogCache({ redis: shared, log: silentLog() });
    const b = createCatalogCache({ redis: shared, log: silentLog() });
    let price = 100;
    const load = async () => ({ price });
    await a.product('id-1', load);
    await a.product('old-slug', load);
    await b.product('id-1', load);
    price = 80;
    await a.invalidateProducts([{ productId: 'id-1', slug: 'new-slug', previousSlug: 'old-slug' }]);
    expect(await a.product('id-1', load)).toEqual({ price: 80 });
    expect(await a.product('old-slug', load)).toEqual({ price: 80 });
    // b's own memory still holds the old copy until b hears the event (broadcast) or its TTL ends.
    await b.invalidateProducts([{ productId: 'id-1' }]);
    expect(await b.product('id-1', load)).toEqual({ price: 80 });
  });

  it('orphans every list entry on a generation bump, for replicas that start later too', async () => {
    const shared = await connected();
    const a = createCatalogCache({ redis: shared, log: silentLog() });
    let version = 1;
    const load = async () => ({ version });
    expect(await a.list('search:x', load)).toEqual({ version: 1 });
    version = 2;
    expect(await a.list('search:x', load)).toEqual({ version: 1 });
    await a.invalidateLists();
    expect(await a.list('search:x', load)).toEqual({ version: 2 });
    const late = createCatalogCache({ redis: shared, log: silentLog() });
    version = 3;
    expect(await late.list('search:x', load)).toEqual({ version: 2 });
    await late.invalidateAll();
    expect(await late.list('search:x', load)).toEqual({ version: 3 });
  });

  it('answers an entry past its TTL at once and refreshes it behind the answer', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const { cache, clock } = await setup({ localTtlMs: 1_000, listTtlMs: 50 });
    let version = 1;
    const src = counter(() => version);
    expect(await cache.list('k', src.load)).toBe(1);
    version = 2;
    await sleep(80); // Redis's copy has expired too
    clock.advance(60); // past the TTL, within twice it
    expect(await cache.list('k', src.load)).toBe(1);
    await sleep(30);
    expect(src.calls).toBe(2);
    expect(await cache.list('k', src.load)).toBe(2);
    clock.advance(1_000); // past twice the TTL: a plain miss
    version = 3;
    await sleep(80);
    expect(await cache.list('k', src.load)).toBe(3);
  });

  it('never answers a stale entry after an invalidation', async () => {
    const { cache, clock } = await setup({ localTtlMs: 1_000, listTtlMs: 60_000 });
    let version = 1;
    const load = async () => version;
    await cache.list('k', load);
    version = 2;
    clock.advance(5_000);
    await cache.invalidateLists();
    expect(await cache.list('k', load)).toBe(2);
  });

  it('shares one load among concurrent misses of a key', async () => {
    const { cache } = await setup();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const src = counter(async () => {
      await gate;
      return 'page';
    });
    const reads = Array.from({ length: 20 }, () => cache.list('hot', src.load));
    release();
    expect(await Promise.all(reads)).toEqual(Array(20).fill('page'));
    expect(src.calls).toBe(1);
  });

  it('does not store a load that overlapped an invalidation', async () => {
    const { cache } = await setup();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let value = 'old';
    let started: () => void = () => {};
    const running = new Promise<void>((r) => {
      started = r;
    });
    const slow = async () => {
      const seen = value;
      started();
      await gate;
      return seen;
    };
    const stale = cache.product('p', slow);
    await running;
    value = 'new';
    await cache.invalidateProducts([{ productId: 'p' }]);
    release();
    expect(await stale).toBe('old');
    expect(await cache.product('p', async () => value)).toBe('new');
  });

  it('keeps serving from Postgres while Redis is unreachable', async () => {
    const down = redis('redis://127.0.0.1:1');
    const cache = createCatalogCache({ redis: down, log: silentLog(), redisBackoffMs: 50 });
    const src = counter(() => ({ ok: true }));
    expect(await cache.product('a', src.load)).toEqual({ ok: true });
    expect(await cache.list('l', src.load)).toEqual({ ok: true });
    await cache.invalidateProducts([{ productId: 'a' }]);
    await cache.invalidateLists();
    expect(await cache.product('a', src.load)).toEqual({ ok: true });
    expect(src.calls).toBe(3);
    // Without Redis at all the in-process layer still works.
    const none = createCatalogCache({ redis: null, log: silentLog() });
    await none.list('x', src.load);
    await none.list('x', src.load);
    expect(src.calls).toBe(4);
  });
});
