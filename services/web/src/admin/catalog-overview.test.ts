import { describe, expect, it } from 'vitest';
import { catalogApp, seedLamp, text } from './catalog-test-support.ts';

describe('admin catalog: who may open it', () => {
  it('sends a guest to sign in, and refuses staff without the role or without MFA', async () => {
    const { app } = await catalogApp();
    const guest = await app.request('/admin/products');
    expect(guest.status).toBe(303);
    expect(guest.headers.get('location')).toBe('/account/sign-in?next=%2Fadmin%2Fproducts');

    const support = await catalogApp({ roles: ['support'] });
    const denied = await support.get('/admin/products');
    expect(denied.status).toBe(403);
    expect(text(await denied.text())).toContain('Merchandisers only');
    expect(support.fake.calls.some((c) => c.path.startsWith('/api/catalog/admin'))).toBe(false);

    const noMfa = await catalogApp({ roles: ['admin'], mfa: false });
    const mfa = await noMfa.get('/admin/promotions');
    expect(mfa.status).toBe(403);
    expect(text(await mfa.text())).toContain('Two-factor sign-in needed');
  });

  it('shows support staff an overview without catalog figures (no refused calls)', async () => {
    const s = await catalogApp({ roles: ['support'] });
    const res = await s.get('/admin');
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toContain('Returns to decide');
    expect(page).not.toContain('Published products');
    expect(s.fake.calls.some((c) => c.path.startsWith('/api/catalog/admin'))).toBe(false);
  });
});

describe('admin catalog: overview', () => {
  it('counts products by status and links each figure to its list', async () => {
    const s = await catalogApp({ roles: ['admin'] });
    seedLamp(s.fake);
    s.fake.addProduct({ name: 'Draft Chair' });
    const res = await s.get('/admin');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(text(html)).toMatch(/1 Draft products 1 Published products 0 Archived products/);
    expect(html).toContain('href="/admin/products?status=draft"');
    expect(text(html)).toContain('Latest orders');
  });

  it('shows exact counts past a page of products, from one stats call', async () => {
    const s = await catalogApp();
    for (let i = 0; i < 1234; i++) s.fake.addProduct({ name: `Draft ${i}`, slug: `draft-${i}` });
    seedLamp(s.fake);
    const page = text(await (await s.get('/admin')).text());
    expect(page).toMatch(/1,234 Draft products 1 Published products 0 Archived products/);
    expect(page).not.toContain('100+');
    const catalogCalls = s.fake.calls.filter((c) => c.path.startsWith('/api/catalog/admin'));
    expect(catalogCalls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/catalog/admin/stats']);
  });

  it('counts returns exactly by status from one orders stats call (no "100+")', async () => {
    const s = await catalogApp({ roles: ['support'] });
    s.fake.orderStats.returns.requested = 1234;
    const html = await (await s.get('/admin')).text();
    const page = text(html);
    expect(page).toMatch(/1,234 Returns to decide 1 Returns on their way back 1 Returns to inspect/);
    expect(page).not.toContain('100+');
    expect(page).not.toContain('Return refunds failed');
    expect(html).toContain('href="/admin/returns?status=received"');
    expect(s.fake.calls.filter((c) => c.path.startsWith('/api/orders/admin/returns'))).toHaveLength(0);
    expect(s.fake.calls.filter((c) => c.path === '/api/orders/admin/stats')).toHaveLength(1);

    s.fake.orderStats.returns.refund_failed = 2;
    expect(text(await (await s.get('/admin')).text())).toContain('2 Return refunds failed');
    s.fake.fail.set('GET /api/orders/admin/stats', s.fake.problem(503, 'unavailable', 'orders is down'));
    const down = await s.get('/admin');
    expect(down.status).toBe(200);
    expect(text(await down.text())).not.toContain('Returns to decide');
  });

  it('leaves the product figures out when the catalog cannot count', async () => {
    const s = await catalogApp();
    s.fake.fail.set('GET /api/catalog/admin/stats', s.fake.problem(503, 'unavailable', 'catalog is down'));
    const res = await s.get('/admin');
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).not.toContain('Draft products');
    expect(page).toContain('Active promotions');
  });
});
