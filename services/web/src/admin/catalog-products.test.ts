import { describe, expect, it } from 'vitest';
import { ACME, catalogApp, fieldError, HOME, KITCHEN, seedLamp, text } from './catalog-test-support.ts';

describe('admin catalog: products', () => {
  it('lists products with status filter and a next-page link', async () => {
    const s = await catalogApp();
    for (let i = 0; i < 55; i++) s.fake.addProduct({ name: `Thing ${i}`, status: 'draft' });
    seedLamp(s.fake);
    const all = await s.get('/admin/products');
    const html = await all.text();
    expect(all.status).toBe(200);
    expect(text(html)).toContain('Brass Lamp');
    expect(html).toMatch(/href="\/admin\/products\?cursor=[0-9a-f-]{36}" rel="next"/);

    const drafts = await s.get('/admin/products?status=draft');
    expect(text(await drafts.text())).not.toContain('Brass Lamp');
    const listed = s.fake.calls.filter((c) => c.path === '/api/catalog/admin/products');
    expect(listed.at(-1)?.query.get('status')).toBe('draft');

    const bad = await s.get('/admin/products?status=gone');
    expect(bad.status).toBe(400);
  });

  it('searches drafts and archived products too, by name, slug or SKU', async () => {
    const s = await catalogApp();
    seedLamp(s.fake);
    s.fake.addProduct({ name: 'Lamp Draft' });
    s.fake.addProduct({
      name: 'Old Shade',
      slug: 'old-shade',
      status: 'archived',
      variants: [{ id: 'v9', sku: 'LAMP-SHADE-9', options: {}, position: 0, prices: [] }],
    });
    const res = await s.get('/admin/products?q=lamp');
    const html = await res.text();
    const page = text(html);
    expect(res.status).toBe(200);
    expect(page).toContain('Brass Lamp');
    expect(page).toContain('Lamp Draft');
    expect(page).toContain('Old Shade');
    expect(page).not.toContain('published products only');
    expect(html).toMatch(/Lamp Draft<\/a><\/td><td data-label="Status"><span class="status status-draft">/);
    expect(html).toContain('value="lamp"');
    const call = s.fake.calls.find((c) => c.path === '/api/catalog/admin/products');
    expect(call?.query.get('q')).toBe('lamp');
    expect(s.fake.calls.some((c) => c.path === '/api/catalog/products')).toBe(false);

    expect(text(await (await s.get('/admin/products?q=shade-9')).text())).toContain('Old Shade');
    const drafts = text(await (await s.get('/admin/products?q=lamp&status=draft')).text());
    expect(drafts).toContain('Lamp Draft');
    expect(drafts).not.toContain('Brass Lamp');
    const none = await s.get('/admin/products?q=zebra');
    expect(text(await none.text())).toContain('No products match these filters.');
  });

  it('filters by category (with its subcategories) and brand, and keeps every filter on the next page', async () => {
    const s = await catalogApp();
    const kitchen = { id: KITCHEN, slug: 'kitchen', name: 'Kitchen', path: '/home/kitchen/' };
    const acme = { id: ACME, slug: 'acme', name: 'Acme' };
    for (let i = 0; i < 52; i++)
      s.fake.addProduct({ name: `Pan ${i}`, slug: `pan-${i}`, category: kitchen, brand: acme });
    s.fake.addProduct({ name: 'Garden Hose' });
    const home = await s.get(`/admin/products?categoryId=${HOME}&brandId=${ACME}&q=pan`);
    const html = await home.text();
    expect(text(html)).toContain('Pan 51');
    expect(text(html)).not.toContain('Garden Hose');
    const call = s.fake.calls.find((c) => c.path === '/api/catalog/admin/products');
    expect(call?.query.get('categoryId')).toBe(HOME);
    expect(call?.query.get('brandId')).toBe(ACME);
    expect(html).toMatch(
      new RegExp(
        `href="/admin/products\\?q=pan&amp;categoryId=${HOME}&amp;brandId=${ACME}&amp;cursor=[0-9a-f-]{36}" rel="next"`,
      ),
    );
    expect(html).toMatch(/<option value="[^"]*b1" selected[^>]*>Acme<\/option>/);
    const next = html.match(/href="(\/admin\/products\?[^"]*cursor=[^"]*)"/)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const second = text(await (await s.get(next)).text());
    expect(second).toContain('Pan 0');
    expect(second).not.toContain('Pan 51');

    expect((await s.get('/admin/products?categoryId=kitchen')).status).toBe(400);
    expect((await s.get('/admin/products?brandId=1')).status).toBe(400);
  });

  it('turns control characters in the search into spaces instead of sending them on', async () => {
    const s = await catalogApp();
    seedLamp(s.fake);
    const res = await s.get(`/admin/products?q=${encodeURIComponent('brass\u0000\tlamp\u0007')}`);
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain('Brass Lamp');
    expect(s.fake.calls.find((c) => c.path === '/api/catalog/admin/products')?.query.get('q')).toBe('brass  lamp');
  });

  it('creates a product with images, a first variant and prices in minor units', async () => {
    const s = await catalogApp();
    const res = await s.post('/admin/products/new', {
      name: 'Garden Hose',
      slug: '',
      description: 'Long',
      brandId: ACME,
      categoryId: HOME,
      status: 'published',
      attributes: 'length: 20 m',
      image0Url: 'https://img.test/hose.png',
      image0Alt: 'A green hose',
      image1Url: '',
      image1Alt: '',
      sku: 'HOSE-20',
      options: 'color: Green',
      priceCurrency0: 'USD',
      priceAmount0: '24.50',
      priceCompare0: '30',
      priceCurrency1: 'jpy',
      priceAmount1: '3000',
      priceCompare1: '',
    });
    expect(res.status).toBe(303);
    const created = s.fake.products[0];
    expect(res.headers.get('location')).toBe(`/admin/products/${created?.id}?done=product-created`);
    const sent = s.fake.calls.find((c) => c.method === 'POST')?.body;
    expect(sent).toMatchObject({
      name: 'Garden Hose',
      brandId: ACME,
      categoryId: HOME,
      status: 'published',
      attributes: { length: '20 m' },
      images: [{ url: 'https://img.test/hose.png', alt: 'A green hose' }],
      variants: [
        {
          sku: 'HOSE-20',
          options: { color: 'Green' },
          prices: [
            { currency: 'USD', amount: 2450, compareAt: 3000 },
            { currency: 'JPY', amount: 3000, compareAt: null },
          ],
        },
      ],
    });
    expect(sent.slug).toBeUndefined();

    const page = await s.get(res.headers.get('location') as string);
    const html = await page.text();
    expect(text(html)).toContain('Product created.');
    expect(html).toContain('value="24.50"');

    const list = await s.get('/admin/products');
    expect(text(await list.text())).toContain('Garden Hose');
  });

  it('shows form mistakes next to the fields without calling the API', async () => {
    const s = await catalogApp();
    const res = await s.post('/admin/products/new', {
      name: '',
      slug: 'Not A Slug',
      image0Url: '',
      image0Alt: 'alt without image',
      sku: '',
      priceCurrency0: 'USD',
      priceAmount0: '12.345',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'f-name')).toBe('Enter a name');
    expect(fieldError(html, 'f-slug')).toMatch(/Lower-case letters/);
    expect(fieldError(html, 'f-image0Url')).toMatch(/image address/);
    expect(fieldError(html, 'f-sku')).toBe('A price needs a SKU');
    expect(fieldError(html, 'f-priceAmount0')).toMatch(/amount like 19.99/);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('value="Not A Slug"');
    expect(s.fake.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it("puts the API's 409 and 422 answers next to the right field", async () => {
    const s = await catalogApp();
    seedLamp(s.fake);
    const dup = await s.post('/admin/products/new', { name: 'Brass Lamp', slug: 'brass-lamp' });
    expect(dup.status).toBe(409);
    expect(fieldError(await dup.text(), 'f-slug')).toBe('A product with this slug already exists');

    s.fake.fail.set(
      'POST /api/catalog/admin/products',
      s.fake.problem(422, 'validation_failed', 'invalid', {
        errors: [
          { path: 'body.variants.0.prices.0.currency', message: 'unknown currency' },
          { path: 'body.images.0.url', message: 'not an image' },
        ],
      }),
    );
    const bad = await s.post('/admin/products/new', {
      name: 'X',
      image0Url: '',
      image1Url: 'https://img.test/x.png',
      sku: 'X-1',
      priceCurrency0: '',
      priceAmount0: '',
      priceCurrency1: 'XXX',
      priceAmount1: '1',
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(fieldError(html, 'f-priceCurrency1')).toBe('Unknown currency');
    expect(fieldError(html, 'f-image1Url')).toBe('Not an image');

    const publish = await s.post('/admin/products/new', { name: 'No Price', status: 'published' });
    expect(publish.status).toBe(409);
    expect(fieldError(await publish.text(), 'f-status')).toMatch(/needs a variant with a price/);
  });

  it('changes a price, and shows a wrong one inline', async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    const ok = await s.post(`/admin/products/${p.id}/variants/LAMP-1/prices`, {
      currency: 'USD',
      amount: '39.95',
      compareAt: '49.99',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/products/${p.id}?done=price-saved#s-variants-and-prices`);
    const put = s.fake.calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe('/api/catalog/admin/variants/LAMP-1/prices/USD');
    expect(put?.body).toEqual({ amount: 3995, compareAt: 4999 });
    const page = await s.get(`/admin/products/${p.id}?done=price-saved`);
    const html = await page.text();
    expect(text(html)).toContain('Price saved.');
    expect(text(html)).toContain('$39.95');

    const bad = await s.post(`/admin/products/${p.id}/variants/LAMP-1/prices`, { currency: 'USD', amount: 'cheap' });
    expect(bad.status).toBe(422);
    expect(fieldError(await bad.text(), 'p-0-USD-amount')).toMatch(/amount like 19.99/);

    const added = await s.post(`/admin/products/${p.id}/variants/LAMP-1/prices`, {
      currency: 'eur',
      amount: '45',
      compareAt: '',
      new: '1',
    });
    expect(added.status).toBe(303);
    expect(p.variants[0]?.prices).toContainEqual({ currency: 'EUR', amount: 4500, compareAt: null });
  });

  it('removes a price, and explains when the API refuses (the last price of a published product)', async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    const refused = await s.post(`/admin/products/${p.id}/variants/LAMP-1/prices/USD/delete`, {});
    expect(refused.status).toBe(409);
    expect(text(await refused.text())).toContain('needs a variant with a price before it can be published');
    await s.post(`/admin/products/${p.id}/variants/LAMP-1/prices`, { currency: 'EUR', amount: '40' });
    const removed = await s.post(`/admin/products/${p.id}/variants/LAMP-1/prices/USD/delete`, {});
    expect(removed.status).toBe(303);
    expect(p.variants[0]?.prices.map((x) => x.currency)).toEqual(['EUR']);
  });

  it('edits details, images and variants', async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    const base = `/admin/products/${p.id}`;
    const saved = await s.post(base, {
      name: 'Brass Desk Lamp',
      slug: 'brass-desk-lamp',
      description: 'Warm light',
      brandId: ACME,
      categoryId: KITCHEN,
      status: 'archived',
      attributes: 'material: Brass',
    });
    expect(saved.status).toBe(303);
    expect(s.fake.calls.at(-1)?.body).toMatchObject({
      name: 'Brass Desk Lamp',
      slug: 'brass-desk-lamp',
      brandId: ACME,
      categoryId: KITCHEN,
      status: 'archived',
      attributes: { material: 'Brass' },
    });

    expect((await s.post(`${base}/images`, { url: 'https://img.test/b.png', alt: 'Back' })).status).toBe(303);
    expect(p.images).toHaveLength(2);
    const noUrl = await s.post(`${base}/images`, { url: '', alt: 'x' });
    expect(noUrl.status).toBe(422);
    expect(fieldError(await noUrl.text(), 'img-url')).toBe('Enter the image address');
    expect((await s.post(`${base}/images/remove`, { index: '0', url: 'https://img.test/lamp.png' })).status).toBe(303);
    expect(p.images.map((i) => i.alt)).toEqual(['Back']);

    expect(
      (await s.post(`${base}/variants`, { sku: 'LAMP-2', options: 'color: Red', currency: 'USD', amount: '10' }))
        .status,
    ).toBe(303);
    const dupSku = await s.post(`${base}/variants`, { sku: 'LAMP-2', options: '' });
    expect(dupSku.status).toBe(409);
    expect(fieldError(await dupSku.text(), 'nv-sku')).toBe('A variant with this sku already exists');
    expect((await s.post(`${base}/variants/LAMP-2`, { options: 'color: Blue\nsize: L' })).status).toBe(303);
    expect(p.variants[1]?.options).toEqual({ color: 'Blue', size: 'L' });
    const badOptions = await s.post(`${base}/variants/LAMP-2`, { options: 'no colon' });
    expect(badOptions.status).toBe(422);
    expect(fieldError(await badOptions.text(), 'v-1-options')).toMatch(/name: value/);
    expect((await s.post(`${base}/variants/LAMP-2/delete`, {})).status).toBe(303);
    expect(p.variants.map((v) => v.sku)).toEqual(['LAMP-1']);
  });

  it('deletes a product after a confirmation page', async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    const confirm = await s.get(`/admin/products/${p.id}/delete`);
    expect(confirm.status).toBe(200);
    expect(text(await confirm.text())).toContain('Delete Brass Lamp?');
    const gone = await s.post(`/admin/products/${p.id}/delete`, {});
    expect(gone.status).toBe(303);
    expect(gone.headers.get('location')).toBe('/admin/products?done=product-deleted');
    expect(s.fake.products).toHaveLength(0);
  });

  it('answers bad ids with a 404 page and API failures with a kind page', async () => {
    const s = await catalogApp();
    expect((await s.get('/admin/products/not-an-id')).status).toBe(404);
    expect((await s.get('/admin/products/00000000-0000-4000-8000-000000000999')).status).toBe(404);
    expect((await s.post('/admin/products/nope/variants/LAMP-1/prices', { currency: 'USD', amount: '1' })).status).toBe(
      404,
    );
    s.fake.fail.set(
      'GET /api/catalog/admin/products',
      new Response('<html>upstream exploded at foo.ts:1:2</html>', { status: 502 }),
    );
    const down = await s.get('/admin/products');
    expect(down.status).toBe(503);
    const html = await down.text();
    expect(text(html)).toContain('Something went wrong on our side');
    expect(html).not.toContain('foo.ts');
  });

  it('refuses a form without the CSRF field before any API call', async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    const before = s.fake.calls.length;
    const res = await s.post(
      `/admin/products/${p.id}/variants/LAMP-1/prices`,
      { currency: 'USD', amount: '1' },
      { csrf: null },
    );
    expect(res.status).toBe(403);
    expect(text(await res.text())).toContain('Please try that again');
    const wrong = await s.post(`/admin/products/${p.id}/delete`, {}, { csrf: 'x'.repeat(32) });
    expect(wrong.status).toBe(403);
    expect(s.fake.calls.slice(before).filter((c) => c.method !== 'GET')).toEqual([]);
    expect(s.fake.products).toHaveLength(1);
  });

  it("forwards the session's CSRF token to the API on every change", async () => {
    const s = await catalogApp();
    const p = seedLamp(s.fake);
    await s.post(
      `/admin/products/${p.id}/variants/LAMP-1/prices`,
      { currency: 'USD', amount: '5' },
      { cookie: 'sf_csrf=sess-token' },
    );
    const put = s.fake.calls.find((c) => c.method === 'PUT');
    expect(put?.headers.get('x-csrf-token')).toBe('sess-token');
    expect(put?.headers.get('cookie')).toContain('sf_at=');
  });
});
