import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACME, catalogApp, HOME, KITCHEN, seedLamp } from './catalog-test-support.ts';

describe('admin catalog: never a 500', () => {
  const GETS = [
    '/admin',
    '/admin/products',
    '/admin/products/new',
    '/admin/categories',
    '/admin/promotions',
    '/admin/promotions/new',
  ];
  const POSTS = [
    '/admin/products/new',
    '/admin/products/{p}',
    '/admin/products/{p}/images',
    '/admin/products/{p}/images/remove',
    '/admin/products/{p}/variants',
    '/admin/products/{p}/variants/LAMP-1',
    '/admin/products/{p}/variants/LAMP-1/prices',
    '/admin/products/{p}/variants/LAMP-1/prices/USD/delete',
    '/admin/categories',
    `/admin/categories/${KITCHEN}`,
    `/admin/categories/${KITCHEN}/move`,
    '/admin/brands',
    `/admin/brands/${ACME}`,
    '/admin/promotions/new',
  ];
  const FIELDS = [
    'name',
    'slug',
    'status',
    'sku',
    'options',
    'attributes',
    'currency',
    'amount',
    'compareAt',
    'priceAmount0',
    'priceCurrency0',
    'image0Url',
    'index',
    'url',
    'parentId',
    'position',
    'direction',
    'kind',
    'percent',
    'startsAt',
    'endsAt',
    'usageLimit',
    'categoryIds',
    'productIds',
    'brandId',
    'categoryId',
  ];

  it('random query strings on the pages', async () => {
    const s = await catalogApp();
    seedLamp(s.fake);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GETS),
        fc.dictionary(
          fc.constantFrom('q', 'status', 'cursor', 'done', 'categoryId', 'brandId', 'x'),
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.string({ unit: 'binary', maxLength: 40 }),
            fc.constantFrom('', HOME, ACME, 'draft', '\u0000', '%', '_'),
          ),
        ),
        async (path, query) => {
          const res = await s.get(`${path}?${new URLSearchParams(query).toString()}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('random form bodies on every form', async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POSTS),
        fc.array(
          fc.tuple(
            fc.constantFrom(...FIELDS),
            fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', '1', 'USD', 'up', 'published', 'fixed', HOME)),
          ),
          {
            maxLength: 12,
          },
        ),
        async (path, fields) => {
          const res = await s.post(path.replace('{p}', p.id), fields);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
  });
});
