import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCatalog, testCatalog } from './test-app.ts';

/**
 * Every staff change of the catalog leaves an audit.recorded.v1 in the outbox of its own
 * transaction (identity's consumer appends it to the audit log; see identity's audit-events test).
 */
let t: TestCatalog;
beforeAll(async () => {
  t = await testCatalog();
});
afterAll(() => t.close());

type Audit = {
  service: string;
  action: string;
  actor: { id: string | null; type: string };
  target: { type: string; id: string };
  outcome: string;
  requestId?: string;
  details?: Record<string, unknown>;
};
const audits = async () => (await t.events('audit.recorded.v1')).map((e) => e.payload as Audit);

/** A staff call with a request id of our own, so the record can be matched to it. */
async function staff(method: string, path: string, body?: unknown) {
  const requestId = `req-${Math.random().toString(36).slice(2, 10)}`;
  const res = await t.app.request(`/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await t.auth.staffToken(['merchandiser'])}`,
      'x-request-id': requestId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return { res, requestId: res.headers.get('x-request-id') ?? requestId };
}

describe('staff changes are audited', () => {
  it('products, variants and prices: who, what, which, and the request', async () => {
    const before = (await audits()).length;
    const create = await staff('POST', '/products', {
      name: 'Audit Lamp',
      slug: 'audit-lamp',
      variants: [{ sku: 'AUD-1', prices: [{ currency: 'USD', amount: 1000 }] }],
    });
    const id = (await jsonOf(create.res)).id as string;
    const calls = [
      create,
      await staff('PATCH', `/products/${id}`, { name: 'Audit Desk Lamp', status: 'published' }),
      await staff('POST', `/products/${id}/variants`, { sku: 'AUD-2', prices: [{ currency: 'USD', amount: 1200 }] }),
      await staff('PATCH', '/variants/AUD-2', { options: { color: 'red' } }),
      await staff('PUT', '/variants/AUD-2/prices/USD', { amount: 1100 }),
      await staff('DELETE', '/variants/AUD-1/prices/USD'),
      await staff('DELETE', '/variants/AUD-1'),
      await staff('DELETE', `/products/${id}`),
    ];
    const got = (await audits()).slice(before);
    expect(got.map((a) => [a.action, a.target.type, a.target.id])).toEqual([
      ['product.create', 'product', id],
      ['product.update', 'product', id],
      ['variant.create', 'variant', 'AUD-2'],
      ['variant.update', 'variant', 'AUD-2'],
      ['price.set', 'price', 'AUD-2/USD'],
      ['price.delete', 'price', 'AUD-1/USD'],
      ['variant.delete', 'variant', 'AUD-1'],
      ['product.delete', 'product', id],
    ]);
    for (const [i, a] of got.entries()) {
      expect(a).toMatchObject({
        service: 'catalog',
        actor: { id: 'acct-1', type: 'account' },
        outcome: 'success',
        requestId: calls[i]?.requestId,
      });
    }
    expect(got[1]?.details).toEqual({ changed: ['name', 'status'] });
    expect(got[4]?.details).toMatchObject({ productId: id, amount: 1100, previousAmount: 1200 });
  });

  it('categories and brands', async () => {
    const before = (await audits()).length;
    const category = await jsonOf((await staff('POST', '/categories', { name: 'Audit Shelf' })).res);
    await staff('PATCH', `/categories/${category.id}`, { name: 'Audit Shelves' });
    await staff('DELETE', `/categories/${category.id}`);
    const brand = await jsonOf((await staff('POST', '/brands', { name: 'Auditon' })).res);
    await staff('PATCH', `/brands/${brand.id}`, { slug: 'auditon-audio' });
    await staff('DELETE', `/brands/${brand.id}`);
    const got = (await audits()).slice(before);
    expect(got.map((a) => [a.action, a.target.type, a.target.id, a.details?.slug])).toEqual([
      ['category.create', 'category', category.id, 'audit-shelf'],
      ['category.update', 'category', category.id, 'audit-shelf'],
      ['category.delete', 'category', category.id, 'audit-shelf'],
      ['brand.create', 'brand', brand.id, 'auditon'],
      ['brand.update', 'brand', brand.id, 'auditon-audio'],
      ['brand.delete', 'brand', brand.id, 'auditon-audio'],
    ]);
    expect(got[4]?.details?.changed).toEqual(['slug']);
  });

  it('a refused change records nothing (the record is in the change’s transaction)', async () => {
    const before = (await audits()).length;
    const brand = await jsonOf((await staff('POST', '/brands', { name: 'Busybrand' })).res);
    await staff('POST', '/products', { name: 'Busy Thing', brandId: brand.id });
    const refused = await t.admin('DELETE', `/brands/${brand.id}`);
    expect(refused.status).toBe(409);
    const missing = await t.admin('DELETE', '/categories/0199a83f-8840-7236-b5b8-ba24de364311');
    expect(missing.status).toBe(404);
    expect((await audits()).slice(before).map((a) => a.action)).toEqual(['brand.create', 'product.create']);
  });
});
