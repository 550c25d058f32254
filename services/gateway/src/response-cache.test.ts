import { connect } from '@nats-io/transport-node';
import { newId } from '@storefront/contracts';
import { connectBroadcast } from '@storefront/kit';
import { jsonOf, silentLog, testEnv, testEventPrefix } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeCacheInvalidation } from './events.ts';
import { startUpstream, testGateway } from './test-helpers.ts';

/** A catalog whose price the test changes behind the gateway's back. */
let price = 100;
let calls = 0;
let catalog: Awaited<ReturnType<typeof startUpstream>>;
let gw: Awaited<ReturnType<typeof testGateway>>;

beforeAll(async () => {
  catalog = await startUpstream((app) => {
    app.get('/products/:id', async (c) => {
      calls += 1;
      // The price is read before the pause: this answer was correct when it started.
      const answer = { id: c.req.param('id'), price, lang: c.req.header('accept-language') ?? null };
      if (c.req.query('slow')) await new Promise((r) => setTimeout(r, 300));
      return c.json(answer);
    });
    app.get('/private', (c) => {
      calls += 1;
      c.header('cache-control', 'private');
      return c.json({ mine: true });
    });
    app.get('/missing', (c) => {
      calls += 1;
      return c.json({ missing: true }, 404);
    });
  });
  gw = await testGateway({ urls: { catalog: catalog.url } });
});
afterAll(async () => {
  await gw.close();
  await catalog.close();
});

/** How many times the upstream was asked while `fn` ran. */
async function upstreamCalls(fn: () => Promise<unknown>): Promise<number> {
  const before = calls;
  await fn();
  return calls - before;
}

describe('response cache', () => {
  it('answers a repeated anonymous catalog read from Redis', async () => {
    const first = await gw.request('/api/catalog/products/p1?b=1&a=2');
    expect(first.headers.get('x-cache')).toBe('miss');
    const body = await jsonOf(first);
    let second: Response | undefined;
    expect(
      await upstreamCalls(async () => {
        second = await gw.request('/api/catalog/products/p1?a=2&b=1');
      }),
    ).toBe(0);
    expect(second?.headers.get('x-cache')).toBe('hit');
    expect(second?.headers.get('content-type')).toMatch(/application\/json/);
    expect(second?.headers.get('age')).toMatch(/^\d+$/);
    expect(second?.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(second?.headers.get('content-security-policy')).toBeTruthy();
    expect(await second?.json()).toEqual(body);
    await expect(gw.metrics.cache.get()).resolves.toMatchObject({
      values: expect.arrayContaining([expect.objectContaining({ labels: { result: 'hit' } })]),
    });
  });

  it('keeps languages apart and never shares personal or failed answers', async () => {
    await gw.request('/api/catalog/products/p2', { headers: { 'accept-language': 'de' } });
    const fr = await gw.request('/api/catalog/products/p2', { headers: { 'accept-language': 'fr' } });
    expect((await jsonOf(fr)).lang).toBe('fr');

    const twice = (path: string, init?: RequestInit) =>
      upstreamCalls(async () => {
        await gw.request(path, init);
        await gw.request(path, init);
      });
    expect(await twice('/api/catalog/products/p3', { headers: { authorization: 'Bearer t' } })).toBe(2);
    expect(await twice('/api/catalog/products/p4', { headers: { cookie: 'sid=1' } })).toBe(2);
    expect(await twice('/api/catalog/products/p4', { headers: { 'x-admin-token': 'staff-token-123456' } })).toBe(2);
    expect(await twice('/api/catalog/private')).toBe(2);
    expect(await twice('/api/catalog/missing')).toBe(2);
  });

  it('drops everything at once when the catalog changes', async () => {
    price = 100;
    await gw.request('/api/catalog/products/p5');
    expect((await gw.request('/api/catalog/products/p5')).headers.get('x-cache')).toBe('hit');
    price = 90;
    await gw.cache.invalidate();
    const after = await gw.request('/api/catalog/products/p5');
    expect(after.headers.get('x-cache')).toBe('miss');
    expect((await jsonOf(after)).price).toBe(90);
  });

  it('does not let an answer that raced with a change outlive it', async () => {
    price = 100;
    const inflight = gw.request('/api/catalog/products/p6?slow=1');
    await new Promise((r) => setTimeout(r, 100));
    price = 80;
    await gw.cache.invalidate();
    expect((await jsonOf(await inflight)).price).toBe(100);
    const next = await gw.request('/api/catalog/products/p6?slow=1');
    expect(next.headers.get('x-cache')).toBe('miss');
    expect((await jsonOf(next)).price).toBe(80);
  });

  it('sends one of many identical concurrent misses upstream; the others share its answer', async () => {
    await gw.cache.invalidate();
    let answers: Response[] = [];
    const n = await upstreamCalls(async () => {
      answers = await Promise.all(Array.from({ length: 10 }, () => gw.request('/api/catalog/products/p8?slow=1')));
    });
    expect(n).toBe(1);
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it('is invalidated by a catalog event on NATS', async () => {
    const prefix = testEventPrefix();
    const broadcast = await connectBroadcast({ natsUrl: testEnv().natsUrl, prefix, log: silentLog() });
    const nc = await connect({ servers: testEnv().natsUrl });
    try {
      subscribeCacheInvalidation(broadcast, gw.cache, silentLog());
      // A round trip on the subscriber's connection: the server has its subscriptions before we publish.
      await broadcast.ping();
      price = 100;
      await gw.request('/api/catalog/products/p7');
      expect((await gw.request('/api/catalog/products/p7')).headers.get('x-cache')).toBe('hit');

      price = 75;
      const event = {
        id: newId(),
        subject: 'product.price-changed.v1',
        occurredAt: new Date().toISOString(),
        payload: {
          productId: '0195b5a4-7c1e-7000-8000-000000000007',
          slug: 'p7',
          sku: 'P7-RED',
          currency: 'EUR',
          amount: 7500,
          previousAmount: 10000,
        },
      };
      nc.publish(`${prefix}.product.price-changed.v1`, JSON.stringify(event));
      await nc.flush();

      let seen: number | undefined;
      for (let i = 0; i < 40 && seen !== 75; i++) {
        await new Promise((r) => setTimeout(r, 25));
        seen = (await jsonOf(await gw.request('/api/catalog/products/p7'))).price;
      }
      expect(seen).toBe(75);
    } finally {
      await nc.close();
      await broadcast.close();
    }
  });
});
