import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceBucketBounds } from './domain-search.ts';
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

/** A published phone with two variants, under Electronics > Phones, by brand Pixelon. */
async function phone(slug: string, extra: Record<string, unknown> = {}) {
  const electronics = await created(await t.admin('POST', '/categories', { name: 'Electronics', slug: `el-${slug}` }));
  const phones = await created(
    await t.admin('POST', '/categories', { name: 'Phones', slug: `ph-${slug}`, parentId: electronics.id }),
  );
  const brand = await created(await t.admin('POST', '/brands', { name: 'Pixelon', slug: `px-${slug}` }));
  const product = await created(
    await t.admin('POST', '/products', {
      name: 'Pixelon P7 Android Phone',
      slug,
      description: 'A phone.',
      brandId: brand.id,
      categoryId: phones.id,
      status: 'published',
      attributes: { os: 'Android' },
      variants: [
        { sku: `${slug}-128`, options: { storage: '128GB' }, prices: [{ currency: 'USD', amount: 49900 }] },
        {
          sku: `${slug}-256`,
          options: { storage: '256GB' },
          prices: [
            { currency: 'USD', amount: 59900, compareAt: 69900 },
            { currency: 'EUR', amount: 55900 },
          ],
        },
      ],
      ...extra,
    }),
  );
  return { electronics, phones, brand, product };
}

describe('staff routes', () => {
  it.each([
    ['POST', '/products', { name: 'x' }],
    ['GET', '/products', undefined],
    ['PATCH', '/brands/0199a83f-8840-7236-b5b8-ba24de364311', { name: 'x' }],
    ['DELETE', '/variants/ABC', undefined],
  ])(
    'refuse %s %s without a token or with a bad one (401), to customers and staff without MFA (403)',
    async (method, path, body) => {
      const none = await t.admin(method, path, body, null);
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toBe('application/problem+json');
      expect((await t.admin(method, path, body, 'not-a-jwt-not-a-jwt-000')).status).toBe(401);
      expect((await t.admin(method, path, body, await t.auth.customerToken())).status).toBe(403);
      expect((await t.admin(method, path, body, await t.auth.staffToken(['fulfillment']))).status).toBe(403);
      const noMfa = await t.admin(method, path, body, await t.auth.staffToken(['merchandiser'], { mfa: false }));
      expect(noMfa.status).toBe(403);
    },
  );

  it('create a product with variants and prices, readable publicly by slug and id', async () => {
    const { product, brand, phones } = await phone('p7');
    expect(product).toMatchObject({
      slug: 'p7',
      status: 'published',
      brand: { id: brand.id, name: 'Pixelon' },
      category: { id: phones.id, path: '/el-p7/ph-p7/', trail: [{ slug: 'el-p7' }, { slug: 'ph-p7' }] },
      rating: { count: 0, average: null },
    });
    expect(product.variants[1].prices).toEqual([
      { currency: 'EUR', amount: 55900, compareAt: null },
      { currency: 'USD', amount: 59900, compareAt: 69900 },
    ]);
    const bySlug = await jsonOf(await t.get('/products/p7'));
    const byId = await jsonOf(await t.get(`/products/${product.id}`));
    expect(bySlug).toEqual(product);
    expect(byId).toEqual(product);
    expect((await t.events('product.created.v1')).map((e) => e.payload.slug)).toContain('p7');
  });

  it('hide drafts and archived products from shoppers but not from staff', async () => {
    const { product } = await phone('hidden', { status: 'draft' });
    expect((await t.get('/products/hidden')).status).toBe(404);
    expect((await t.admin('GET', `/products/${product.id}`)).status).toBe(200);
    await t.admin('PATCH', `/products/${product.id}`, { status: 'published' });
    expect((await t.get('/products/hidden')).status).toBe(200);
    await t.admin('PATCH', `/products/${product.id}`, { status: 'archived' });
    expect((await t.get('/products/hidden')).status).toBe(404);
    const search = await jsonOf(await t.get('/products?q=pixelon'));
    expect(search.items.map((i: { slug: string }) => i.slug)).not.toContain('hidden');
  });

  it('show a price change on the very next read (the cache is invalidated)', async () => {
    const { product } = await phone('priced');
    const read = async () => (await jsonOf(await t.get('/products/priced'))).variants[0].prices[0].amount;
    expect(await read()).toBe(49900);
    expect(await read()).toBe(49900); // now cached in-process and in Redis
    const res = await t.admin('PUT', '/variants/priced-128/prices/USD', { amount: 44900 });
    expect(res.status).toBe(200);
    expect(await read()).toBe(44900);
    const search = await jsonOf(await t.get('/products?q=pixelon&currency=USD&sort=price_asc'));
    expect(search.items.find((i: { slug: string }) => i.slug === 'priced').price).toEqual({
      amount: 44900,
      currency: 'USD',
    });
    const [event] = (await t.events('product.price-changed.v1')).filter((e) => e.payload.slug === 'priced');
    expect(event?.payload).toEqual({
      productId: product.id,
      slug: 'priced',
      sku: 'priced-128',
      currency: 'USD',
      amount: 44900,
      previousAmount: 49900,
    });
  });

  it('edit variants and prices, keeping a published product buyable', async () => {
    const { product } = await phone('edits');
    const added = await t.admin('POST', `/products/${product.id}/variants`, {
      sku: 'edits-512',
      options: { storage: '512GB' },
      prices: [{ currency: 'USD', amount: 69900 }],
    });
    expect((await jsonOf(added)).variants.map((v: { sku: string }) => v.sku)).toEqual([
      'edits-128',
      'edits-256',
      'edits-512',
    ]);
    const patched = await t.admin('PATCH', '/variants/edits-512', { options: { storage: '512GB', color: 'Blue' } });
    expect((await jsonOf(patched)).variants[2].options).toEqual({ storage: '512GB', color: 'Blue' });
    expect((await t.admin('DELETE', '/variants/edits-512/prices/USD')).status).toBe(204);
    expect((await t.admin('DELETE', '/variants/edits-512/prices/USD')).status).toBe(404);
    expect((await t.admin('DELETE', '/variants/edits-512')).status).toBe(204);
    expect((await t.admin('DELETE', '/variants/edits-256')).status).toBe(204);
    // The last priced variant of a published product cannot go.
    const last = await t.admin('DELETE', '/variants/edits-128');
    expect(last.status).toBe(409);
    expect((await t.admin('GET', `/products/${product.id}`)).status).toBe(200);
  });

  it('refuse duplicates and dangling references with 409/422, not 500', async () => {
    await phone('dupe');
    const again = await t.admin('POST', '/products', { name: 'Other', slug: 'dupe' });
    expect(again.status).toBe(409);
    const sku = await t.admin('POST', '/products', { name: 'Other', variants: [{ sku: 'dupe-128' }] });
    expect(sku.status).toBe(409);
    const brand = await t.admin('POST', '/products', { name: 'Y', brandId: '0199a83f-8840-7236-b5b8-ba24de364311' });
    expect(brand.status).toBe(422);
    expect((await jsonOf(brand)).code).toBe('unknown_reference');
    expect((await t.admin('POST', '/brands', { name: 'Pixelon', slug: 'px-dupe' })).status).toBe(409);
  });

  it('move a category subtree and keep category listings right', async () => {
    const { phones, electronics } = await phone('moved');
    const gadgets = await created(await t.admin('POST', '/categories', { name: 'Gadgets', slug: 'gadgets-m' }));
    const moved = await t.admin('PATCH', `/categories/${phones.id}`, { parentId: gadgets.id, name: 'Mobiles' });
    expect(await jsonOf(moved)).toMatchObject({ path: '/gadgets-m/ph-moved/', name: 'Mobiles' });
    const under = await jsonOf(await t.get('/categories/gadgets-m/products'));
    expect(under.items.map((i: { slug: string }) => i.slug)).toEqual(['moved']);
    expect((await jsonOf(await t.get(`/categories/${electronics.slug}/products`))).total).toBe(0);
    const product = await jsonOf(await t.get('/products/moved'));
    expect(product.category.trail.map((c: { slug: string }) => c.slug)).toEqual(['gadgets-m', 'ph-moved']);
    expect((await t.admin('PATCH', `/categories/${gadgets.id}`, { parentId: phones.id })).status).toBe(409);
    expect((await t.admin('DELETE', `/categories/${gadgets.id}`)).status).toBe(409);
    expect((await t.get('/categories/nope-nope/products')).status).toBe(404);
  });

  it('rename a brand everywhere it shows', async () => {
    const { brand } = await phone('renamed');
    await jsonOf(await t.get('/products/renamed'));
    const res = await t.admin('PATCH', `/brands/${brand.id}`, { name: 'Pixelon Mobile' });
    expect(res.status).toBe(200);
    expect((await jsonOf(await t.get('/products/renamed'))).brand.name).toBe('Pixelon Mobile');
    const search = await jsonOf(await t.get('/products?q=pixelon+mobile'));
    expect(search.items.map((i: { slug: string }) => i.slug)).toContain('renamed');
    expect((await t.events('brand.changed.v1')).length).toBeGreaterThan(0);
  });

  it('delete a product with everything under it', async () => {
    const { product } = await phone('gone');
    expect((await t.admin('DELETE', `/products/${product.id}`)).status).toBe(204);
    expect((await t.get('/products/gone')).status).toBe(404);
    expect((await t.admin('DELETE', `/products/${product.id}`)).status).toBe(404);
    const [deleted] = await t.events('product.deleted.v1');
    expect(deleted?.payload).toEqual({ productId: product.id, slug: 'gone' });
  });
});

describe('reviews', () => {
  it('add one review per author, keep the summary on product reads, and page newest first', async () => {
    const { product } = await phone('reviewed');
    const post = (author: string, rating: number) =>
      t.app.request('/products/reviewed/reviews', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ author, rating, title: 'Nice', body: `Rated ${rating}` }),
      });
    expect((await post('Ann', 5)).status).toBe(201);
    expect((await post('Bob', 4)).status).toBe(201);
    expect((await post('Cy', 2)).status).toBe(201);
    expect((await post(' ann ', 1)).status).toBe(409);
    expect((await post('Dee', 6)).status).toBe(422);
    const read = await jsonOf(await t.get('/products/reviewed'));
    expect(read.rating).toEqual({ count: 3, average: 3.67 });
    const first = await jsonOf(await t.get(`/products/${product.id}/reviews?limit=2`));
    expect(first.items.map((r: { author: string }) => r.author)).toEqual(['Cy', 'Bob']);
    const second = await jsonOf(await t.get(`/products/reviewed/reviews?limit=2&cursor=${first.nextCursor}`));
    expect(second.items.map((r: { author: string }) => r.author)).toEqual(['Ann']);
    expect(second.nextCursor).toBeNull();
    expect((await t.events('review.added.v1')).length).toBe(3);
  });

  it('refuse reviews of products shoppers cannot see', async () => {
    await phone('draft-review', { status: 'draft' });
    const res = await t.app.request('/products/draft-review/reviews', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author: 'Ann', rating: 5, body: 'x' }),
    });
    expect(res.status).toBe(404);
  });
});

describe('public reads', () => {
  it('list the category tree and brands', async () => {
    await phone('tree');
    const tree = await jsonOf(await t.get('/categories'));
    const root = tree.items.find((c: { slug: string }) => c.slug === 'el-tree');
    expect(root.children.map((c: { slug: string }) => c.slug)).toEqual(['ph-tree']);
    const brands = await jsonOf(await t.get('/brands'));
    expect(brands.items.map((b: { slug: string }) => b.slug)).toContain('px-tree');
  });

  it('describe every route in the OpenAPI document', async () => {
    const doc = await jsonOf(await t.get('/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/products',
        '/products/{idOrSlug}',
        '/products/{idOrSlug}/reviews',
        '/categories',
        '/categories/{slug}/products',
        '/brands',
        '/suggest',
        '/admin/products',
        '/admin/products/{id}',
        '/admin/variants/{sku}/prices/{currency}',
        '/admin/categories/{id}',
        '/admin/brands/{id}',
      ]),
    );
  });
});

describe('maintained browse counts', () => {
  // Runs last in this file: every staff edit above moved products, prices, brands and categories.
  it('equal a fresh aggregate of the search rows after all the edits above', async () => {
    const recount = await t.db.query<{ scope: number; facet: number; n: number }>(
      `SELECT s.scope, f.facet, count(*)::int AS n
         FROM search_doc d
         CROSS JOIN LATERAL (SELECT 0 AS scope UNION ALL
                             SELECT fv.id FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'category') s
         CROSS JOIN LATERAL (SELECT 0 AS facet UNION ALL SELECT unnest(d.facets)) f
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const kept = await t.db.query('SELECT scope, facet, n FROM facet_counts WHERE n <> 0 ORDER BY 1, 2');
    expect(kept.rows).toEqual(recount.rows);
    const prices = await t.db.query(
      `SELECT s.scope, p.key AS currency, width_bucket(p.value::bigint, price_bucket_bounds(p.key)) AS bucket,
              count(*)::int AS n
         FROM search_doc d
         CROSS JOIN LATERAL (SELECT 0 AS scope UNION ALL
                             SELECT fv.id FROM unnest(d.facets) x JOIN facet_values fv ON fv.id = x AND fv.kind = 'category') s
         CROSS JOIN LATERAL jsonb_each_text(d.prices) p
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const keptPrices = await t.db.query(
      'SELECT scope, currency, bucket, n FROM price_counts WHERE n <> 0 ORDER BY 1, 2, 3',
    );
    expect(keptPrices.rows).toEqual(prices.rows);
    expect(recount.rows.length).toBeGreaterThan(10);
  });

  it('bucket prices in SQL exactly as the domain labels them', async () => {
    for (const currency of ['USD', 'EUR', 'GBP', 'JPY', 'KWD']) {
      const { rows } = await t.db.query<{ b: string[] }>('SELECT price_bucket_bounds($1)::text[] AS b', [currency]);
      expect(rows[0]?.b.map(Number)).toEqual(priceBucketBounds(currency));
    }
  });
});
