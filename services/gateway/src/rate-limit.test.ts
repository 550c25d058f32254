import { jsonOf } from '@storefront/kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { testGateway } from './test-helpers.ts';

type Gateway = Awaited<ReturnType<typeof testGateway>>;
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const limited = (limits: object, env: Record<string, string> = {}) =>
  testGateway({
    env: { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: 'true', RATE_LIMITS: JSON.stringify(limits), ...env },
  });
const from = (ip: string, init: RequestInit = {}) => ({ ...init, headers: { 'x-forwarded-for': ip } });

describe('rate limit', () => {
  it('spends the burst, then answers 429 with Retry-After and RateLimit headers', async () => {
    gw = await limited({ default: { rate: 1, burst: 3 } });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await gw.request('/api', from('1.1.1.1'));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await gw.request('/api', from('1.1.1.1'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect((await jsonOf(refused)).code).toBe('rate_limited');
    // Security headers are on refusals too.
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'self'");
    await expect(gw.metrics.rateLimited.get()).resolves.toMatchObject({ values: [{ value: 1 }] });

    // Another client has its own bucket.
    expect((await gw.request('/api', from('2.2.2.2'))).status).toBe(200);
  });

  it("answers a browser's page request with a page, and never counts the shop's static files", async () => {
    gw = await limited({ default: { rate: 0.001, burst: 1 } });
    const page = (ip: string) => from(ip, {});
    const html = (ip: string) => ({ headers: { 'x-forwarded-for': ip, accept: 'text/html' } });
    // Static files pass however many there are (web is down here, so they end in 502, not 429).
    for (let i = 0; i < 5; i++) {
      expect((await gw.request('/assets/app.css', page('4.4.4.4'))).status).not.toBe(429);
      expect((await gw.request('/manifest.webmanifest', page('4.4.4.4'))).status).not.toBe(429);
    }
    expect((await gw.request('/some/page', html('4.4.4.4'))).status).not.toBe(429);
    const refused = await gw.request('/some/page', html('4.4.4.4'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/text\/html/);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.text()).toContain('Please slow down');
    // The API keeps its problem document, whatever the client accepts.
    expect((await gw.request('/api', html('5.5.5.5'))).status).toBe(200);
    const api = await gw.request('/api', html('5.5.5.5'));
    expect(api.status).toBe(429);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refills at the configured rate', async () => {
    gw = await limited({ default: { rate: 20, burst: 1 } });
    expect((await gw.request('/api', from('3.3.3.3'))).status).toBe(200);
    const refused = await gw.request('/api', from('3.3.3.3'));
    expect(refused.status).toBe(429);
    await new Promise((r) => setTimeout(r, 120));
    expect((await gw.request('/api', from('3.3.3.3'))).status).toBe(200);
  });

  it('keeps a bucket per route class', async () => {
    gw = await limited({ default: { rate: 0.01, burst: 1 }, write: { rate: 0.01, burst: 2 } });
    expect((await gw.request('/api', from('4.4.4.4'))).status).toBe(200);
    expect((await gw.request('/api', from('4.4.4.4'))).status).toBe(429);
    // Writes (here to a service that does not exist: 404 once past the limit) count separately.
    const write = () => gw?.request('/api/nope/x', from('4.4.4.4', { method: 'POST' }));
    expect((await write())?.status).toBe(404);
    expect((await write())?.status).toBe(404);
    expect((await write())?.status).toBe(429);
  });

  it('is exact under concurrency: one atomic script per request, shared by every replica', async () => {
    gw = await limited({ default: { rate: 0.01, burst: 10 } });
    // A second gateway on the same Redis prefix stands in for another replica.
    const replica = await testGateway({
      env: {
        RATE_LIMIT_ENABLED: 'true',
        TRUST_PROXY: 'true',
        RATE_LIMITS: JSON.stringify({ default: { rate: 0.01, burst: 10 } }),
      },
      redis: gw.redis ?? null,
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? gw : replica)?.request('/api', from('5.5.5.5'))),
      );
      const statuses = results.map((r) => r?.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    } finally {
      await replica.upstreams.close();
    }
  });

  it('takes the client address from X-Forwarded-For only when a proxy is trusted', async () => {
    gw = await limited({ default: { rate: 0.01, burst: 1 } }, { TRUST_PROXY: 'false' });
    expect((await gw.request('/api', from('6.6.6.1'))).status).toBe(200);
    // A new X-Forwarded-For does not buy a new bucket.
    expect((await gw.request('/api', from('6.6.6.2'))).status).toBe(429);
  });

  it('uses a pluggable key, e.g. the account once identity forwards one', async () => {
    gw = await testGateway({
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMITS: JSON.stringify({ default: { rate: 0.01, burst: 1 } }) },
      clientKey: (c) => `acct:${c.req.header('x-test-account') ?? 'anon'}`,
    });
    const as = (a: string) => gw?.request('/api', { headers: { 'x-test-account': a } });
    expect((await as('alice'))?.status).toBe(200);
    expect((await as('bob'))?.status).toBe(200);
    expect((await as('alice'))?.status).toBe(429);
  });

  it('fails open without Redis', async () => {
    gw = await testGateway({
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMITS: JSON.stringify({ default: { rate: 0.01, burst: 1 } }) },
      redis: null,
    });
    for (let i = 0; i < 5; i++) {
      const res = await gw.request('/api');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});
