import { jsonOf } from '@storefront/kit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCatalog, testCatalog } from './test-app.ts';

let t: TestCatalog;
beforeAll(async () => {
  t = await testCatalog();
});
afterAll(() => t.close());

async function created(res: Response) {
  expect(res.status, await res.clone().text()).toBe(201);
  return jsonOf(res);
}

describe('GET /skus (for the cart)', () => {
  it('answers product, category trail and price per SKU in a currency; unpublished and unknown SKUs are left out', async () => {
    const home = await created(await t.admin('POST', '/categories', { name: 'Home', slug: 'sk-home' }));
    const lamps = await created(
      await t.admin('POST', '/categories', { name: 'Lamps', slug: 'sk-lamps', parentId: home.id }),
    );
    const lamp = await created(
      await t.admin('POST', '/products', {
        name: 'Desk Lamp',
        slug: 'sk-desk-lamp',
        status: 'published',
        categoryId: lamps.id,
        images: [{ url: 'https://img.example/lamp.jpg', alt: 'lamp' }],
        variants: [
          {
            sku: 'SK-LAMP-W',
            prices: [
              { currency: 'USD', amount: 4000, compareAt: 5000 },
              { currency: 'EUR', amount: 3700 },
            ],
          },
          { sku: 'SK-LAMP-B', prices: [{ currency: 'USD', amount: 4200 }] },
        ],
      }),
    );
    await created(
      await t.admin('POST', '/products', {
        name: 'Draft',
        slug: 'sk-draft',
        status: 'draft',
        variants: [{ sku: 'SK-DRAFT', prices: [{ currency: 'USD', amount: 100 }] }],
      }),
    );
    const res = await t.get('/skus?sku=SK-LAMP-W&sku=SK-LAMP-B&sku=SK-DRAFT&sku=SK-NONE&currency=EUR');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      items: [
        {
          sku: 'SK-LAMP-B',
          productId: lamp.id,
          slug: 'sk-desk-lamp',
          name: 'Desk Lamp',
          image: 'https://img.example/lamp.jpg',
          categoryIds: [home.id, lamps.id],
          price: null,
        },
        {
          sku: 'SK-LAMP-W',
          productId: lamp.id,
          slug: 'sk-desk-lamp',
          name: 'Desk Lamp',
          image: 'https://img.example/lamp.jpg',
          categoryIds: [home.id, lamps.id],
          price: { amount: 3700, compareAt: null },
        },
      ],
    });
    const one = await jsonOf(await t.get('/skus?sku=SK-LAMP-W&currency=USD'));
    expect(one.items[0].price).toEqual({ amount: 4000, compareAt: 5000 });

    // A price change is seen at once (the write invalidates the cached answer).
    const put = await t.admin('PUT', '/variants/SK-LAMP-W/prices/USD', { amount: 4400 });
    expect(put.status).toBe(200);
    expect((await jsonOf(await t.get('/skus?sku=SK-LAMP-W&currency=USD'))).items[0].price.amount).toBe(4400);
  });

  it('validates: a currency, 1 to 100 well-formed SKUs', async () => {
    expect((await t.get('/skus?sku=A')).status).toBe(422);
    expect((await t.get('/skus?currency=USD')).status).toBe(422);
    expect((await t.get('/skus?sku=a%20b&currency=USD')).status).toBe(422);
    const many = Array.from({ length: 101 }, (_, i) => `sku=S${i}`).join('&');
    expect((await t.get(`/skus?${many}&currency=USD`)).status).toBe(422);
  });

  it('answers any query with a 2xx or 4xx, never a 5xx', async () => {
    const part = fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('SK-LAMP-W', 'USD', 'usd', ''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('sku', 'currency', 'x'), part), { maxLength: 8 }),
        async (pairs) => {
          const res = await t.get(`/skus?${new URLSearchParams(pairs).toString()}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
