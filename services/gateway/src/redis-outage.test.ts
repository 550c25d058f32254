import { createRedis, type Redis } from '@storefront/kit';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, startUpstream, testGateway } from './test-helpers.ts';

/**
 * Redis stopped under a running gateway: a private redis-server child this file starts, kills,
 * freezes and restarts. Requests must keep succeeding, without waiting on Redis.
 */
let price = 1;
let catalog: Awaited<ReturnType<typeof startUpstream>>;
let server: Awaited<ReturnType<typeof startPrivateRedis>>;
let redis: Redis;
let gw: Awaited<ReturnType<typeof testGateway>>;

beforeAll(async () => {
  catalog = await startUpstream((app) => {
    app.get('/products/:id', (c) => c.json({ id: c.req.param('id'), price }));
  });
  server = await startPrivateRedis();
  redis = createRedis({ url: server.url, prefix: 'gw:' });
  gw = await testGateway({
    urls: { catalog: catalog.url },
    redis,
    redisPrefix: 'gw:',
    env: {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMITS: JSON.stringify({ default: { rate: 1000, burst: 1000 } }),
      REDIS_SKIP_MS: '1000',
    },
  });
});
afterAll(async () => {
  await gw.close();
  redis.disconnect();
  await server.stop();
  await catalog.close();
});

async function timed(path: string) {
  const started = performance.now();
  const res = await gw.request(path);
  return { res, ms: performance.now() - started };
}

const degraded = async () => (await gw.metrics.redisDegraded.get()).values[0]?.value;

async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

describe('Redis outage', () => {
  it('uses Redis while it is there', async () => {
    await gw.request('/api/catalog/products/a');
    const hit = await gw.request('/api/catalog/products/a');
    expect(hit.headers.get('x-cache')).toBe('hit');
    expect(hit.headers.get('ratelimit-limit')).toBe('1000');
  });

  it('keeps serving when Redis dies: cache bypassed, limits open, no request held up', async () => {
    await server.stop();
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { res, ms } = await timed('/api/catalog/products/a');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-cache')).toBe('miss');
      expect(res.headers.get('ratelimit-limit')).toBeNull();
      expect((await jsonOf(res)).price).toBe(price);
      times.push(ms);
    }
    // Bounds for "never hangs", far above what a healthy request takes; not a latency claim.
    expect(Math.max(...times)).toBeLessThan(1_500);
    expect(await degraded()).toBe(1);
  });

  it('comes back by itself when Redis does', async () => {
    await server.start();
    await eventually(
      async () => (await gw.request('/api/catalog/products/b')).headers.get('ratelimit-limit') === '1000',
      'rate limits back',
    );
    await gw.request('/api/catalog/products/b');
    expect((await gw.request('/api/catalog/products/b')).headers.get('x-cache')).toBe('hit');
    expect(await degraded()).toBe(0);
  });

  it('pays the command timeout once, not per request, when Redis hangs', async () => {
    server.pause();
    try {
      const first = await timed('/api/catalog/products/c');
      expect(first.res.status).toBe(200);
      const rest: number[] = [];
      for (let i = 0; i < 10; i++) rest.push((await timed('/api/catalog/products/c')).ms);
      expect(Math.max(...rest)).toBeLessThan(400);
      expect(await degraded()).toBe(1);
    } finally {
      server.resume();
    }
  });

  it('applies an invalidation that happened while Redis was unreachable before reading again', async () => {
    await eventually(async () => {
      await gw.request('/api/catalog/products/d');
      return (await gw.request('/api/catalog/products/d')).headers.get('x-cache') === 'hit';
    }, 'cache working again');
    server.pause();
    price = 2;
    await gw.cache.invalidate();
    server.resume();
    await eventually(
      async () => (await gw.request('/api/catalog/products/e')).headers.get('ratelimit-limit') !== null,
      'redis back',
    );
    const after = await gw.request('/api/catalog/products/d');
    expect(after.headers.get('x-cache')).toBe('miss');
    expect((await jsonOf(after)).price).toBe(2);
  });

  it('backs off for the skip window when Redis refuses commands (OOM), instead of retrying each request', async () => {
    const admin = createRedis({ url: server.url, prefix: '' });
    await new Promise((r) => admin.once('ready', r));
    const ooms = async () => Number(/errorstat_OOM:count=(\d+)/.exec(await admin.info('errorstats'))?.[1] ?? 0);
    try {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await admin.config('SET', 'maxmemory', '1');
      const before = await ooms();
      for (let i = 0; i < 10; i++) {
        const res = await gw.request('/api/catalog/products/g');
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 20));
      }
      // One refused write, then Redis is left alone although the client reconnects at once.
      expect((await ooms()) - before).toBe(1);
      expect(await degraded()).toBe(1);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  });

  it('reloads its Lua scripts when the server lost them', async () => {
    const admin = createRedis({ url: server.url, prefix: '' });
    try {
      await new Promise((r) => admin.once('ready', r));
      await admin.script('FLUSH');
    } finally {
      admin.disconnect();
    }
    await eventually(
      async () => (await gw.request('/api/catalog/products/f')).headers.get('ratelimit-limit') === '1000',
      'rate limits after SCRIPT FLUSH',
    );
  });
});
