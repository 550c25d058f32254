import { connectBroadcast } from '@storefront/kit';
import { silentLog } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchBroadcast } from './events.ts';
import { startPrivateNats, startUpstream, testGateway } from './test-helpers.ts';

/**
 * Invalidations travel at most once. While the gateway's NATS connection is down it cannot hear
 * them, so it must stop trusting its cache, and drop it when the connection is back.
 */
let calls = 0;
let catalog: Awaited<ReturnType<typeof startUpstream>>;
let nats: Awaited<ReturnType<typeof startPrivateNats>>;
let gw: Awaited<ReturnType<typeof testGateway>>;

beforeAll(async () => {
  catalog = await startUpstream((app) => {
    app.get('/products/:id', (c) => {
      calls += 1;
      return c.json({ id: c.req.param('id') });
    });
  });
  nats = await startPrivateNats();
  gw = await testGateway({ urls: { catalog: catalog.url } });
});
afterAll(async () => {
  await gw.close();
  await nats.stop();
  await catalog.close();
});

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

const cacheState = async (path: string) => (await gw.request(path)).headers.get('x-cache');

describe('watchBroadcast', () => {
  it('bypasses the cache while NATS is away and clears it when NATS is back', async () => {
    const broadcast = await connectBroadcast({ natsUrl: nats.url, prefix: 'w', log: silentLog() });
    const watcher = watchBroadcast(broadcast, gw.cache, silentLog(), { intervalMs: 100, timeoutMs: 200 });
    try {
      await gw.request('/api/catalog/products/a');
      expect(await cacheState('/api/catalog/products/a')).toBe('hit');

      await nats.stop();
      await until(async () => (await cacheState('/api/catalog/products/a')) === 'miss', 'cache bypassed');
      const before = calls;
      await gw.request('/api/catalog/products/a');
      await gw.request('/api/catalog/products/a');
      expect(calls - before).toBe(2);

      await nats.start();
      // Back in use (a page is stored and then served from the cache again)...
      await until(async () => (await cacheState('/api/catalog/products/b')) === 'hit', 'cache in use again');
      // ...but what was cached before the outage is gone, since changes may have gone unheard.
      expect(await cacheState('/api/catalog/products/a')).toBe('miss');
    } finally {
      watcher.stop();
      await broadcast.close();
    }
  });
});
