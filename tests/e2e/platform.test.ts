import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from './platform.ts';
import { staffSignIn } from './staff.ts';

/**
 * The platform as a new user meets it: started by the same launcher as `npm start`, used only
 * through the gateway on its public port, stopped with Ctrl-C.
 */
describe('npm start, as a new user would try it', () => {
  let platform: Platform;
  // biome-ignore lint/suspicious/noExplicitAny: journeys probe JSON bodies.
  const get = async (path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any }> => {
    const res = await fetch(`${platform.gatewayUrl}${path}`, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML or empty
    }
    return { status: res.status, headers: res.headers, body };
  };

  beforeAll(async () => {
    platform = await startPlatform();
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('starts every service and reports them ready', () => {
    expect(platform.failed).toEqual([]);
  });

  it('serves a landing page, health, metrics and the merged API reference on the public port', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await get('/healthz')).status).toBe(200);
    const doc = await get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).some((p) => p.startsWith('/api/catalog/'))).toBe(true);
    expect((await get('/api/docs')).status).toBe(200);
  });

  it('finds relevant, faceted products through the gateway, typos included', async () => {
    const res = await get('/api/catalog/products?q=andriod+fone&limit=5');
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThan(0);
    expect(res.body.items[0].name).toMatch(/android|phone/i);
    expect(res.body.facets.brands.length).toBeGreaterThan(0);
    const categories = await get('/api/catalog/categories');
    expect(categories.status).toBe(200);
  });

  it('shows a staff price change on the very next read through the cached gateway', async () => {
    const list = await get('/api/catalog/products?q=headphones&limit=1');
    const slug: string = list.body.items[0].slug;
    const first = await get(`/api/catalog/products/${slug}`);
    expect(first.status).toBe(200);
    const again = await get(`/api/catalog/products/${slug}`);
    expect(again.headers.get('x-cache')).toBe('hit');
    const sku: string = first.body.variants[0].sku;
    const newAmount = 12_345;
    const token = await staffSignIn(platform.gatewayUrl, platform.admin.email, platform.admin.password);
    const put = await fetch(`${platform.gatewayUrl}/api/catalog/admin/variants/${encodeURIComponent(sku)}/prices/USD`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ amount: newAmount }),
    });
    expect(put.status).toBe(200);
    const deadline = Date.now() + 5_000;
    let seen: number | undefined;
    while (Date.now() < deadline) {
      const after = await get(`/api/catalog/products/${slug}`);
      const variant = after.body.variants.find((v: { sku: string }) => v.sku === sku);
      seen = variant.prices.find((p: { currency: string }) => p.currency === 'USD')?.amount;
      if (seen === newAmount) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toBe(newAmount);
  });

  it('answers bad input with problem+json, never a 500', async () => {
    const bad = await get('/api/catalog/products?limit=99999&sort=sideways');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const unknown = await get('/api/nosuchservice/x');
    expect(unknown.status).toBe(404);
    const staff = await fetch(`${platform.gatewayUrl}/api/catalog/admin/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(staff.status).toBe(401);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const code = await platform.stop();
    expect(code).toBe(0);
    await expect(fetch(`${platform.gatewayUrl}/healthz`)).rejects.toThrow();
  }, 60_000);
});
