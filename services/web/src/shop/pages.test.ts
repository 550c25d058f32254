import { describe, expect, it } from 'vitest';
import { problem, SLUG, shopApp } from './test-kit.ts';

const h1s = (html: string) => html.match(/<h1[\s>]/g)?.length ?? 0;

describe('shop pages (home, category, search, product)', () => {
  it('home shows the hero slot, category tiles and featured products with one h1', async () => {
    const t = await shopApp();
    const res = await t.browser().get('/');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(h1s(html)).toBe(1);
    expect(html).toContain('Shop by category');
    expect(html).toContain('href="/c/electronics"');
    expect(html).toContain('New arrivals');
    expect(html).toContain(`href="/p/${SLUG}"`);
    const [newest, top] = t.callsTo('GET', '/api/catalog/products');
    expect(newest?.query.get('sort')).toBe('newest');
    // "Customer favourites" asks the catalog for its best rated, reviewed products.
    expect(top?.query.get('sort')).toBe('rating');
    expect(top?.query.get('minRating')).toBe('1');
    // The fake answers both calls with the same products: each shows once, under "New arrivals".
    expect(html).not.toContain('Customer favourites');
  });

  it('home still renders when the catalog is down, and says so', async () => {
    const t = await shopApp();
    t.state.fail.set('/api/catalog/products', () => problem(503, 'unavailable', 'down'));
    const res = await t.browser().get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('not available right now');
  });

  it('category page: breadcrumbs, subcategories, facets as a GET form, sort, next page link', async () => {
    const t = await shopApp();
    const res = await t
      .browser()
      .get('/c/audio?brand=aurion&attr.color=black&price=10000-25000&inStock=1&sort=price_asc');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(h1s(html)).toBe(1);
    expect(html).toMatch(/<nav class="breadcrumbs"[^>]*>.*Electronics.*Audio/s);
    expect(html).toContain('href="/c/headphones"');
    expect(html).toMatch(/<form method="get" action="\/c\/audio"[^>]*class="facet-form"/);
    expect(html).toMatch(/name="brand" value="aurion" checked/);
    expect(html).toMatch(/name="attr.color" value="black" checked/);
    expect(html).toMatch(/name="inStock" value="1" checked/);
    expect(html).toContain('Brand: Aurion');
    expect(html).toContain('cursor=bmV4dA');
    const call = t.callsTo('GET', '/api/catalog/categories/audio/products')[0];
    expect(call?.query.getAll('brand')).toEqual(['aurion']);
    expect(call?.query.get('attr.color')).toBe('black');
    expect(call?.query.get('minPrice')).toBe('10000');
    expect(call?.query.get('maxPrice')).toBe('25000');
    expect(call?.query.get('inStock')).toBe('true');
    expect(call?.query.get('sort')).toBe('price_asc');
  });

  it('category: an unknown slug is the 404 page, a malformed filter a 400 page, never a 500', async () => {
    const t = await shopApp();
    const b = t.browser();
    expect((await b.get('/c/no-such-category')).status).toBe(404);
    expect((await b.get('/c/BAD_SLUG')).status).toBe(404);
    const bad = await b.get('/c/audio?price=abc');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('That link is not right');
  });

  it('search shows the corrected query ("did you mean") and facets', async () => {
    const t = await shopApp();
    const html = await (await t.browser().get('/search?q=headphnes')).text();
    expect(html).toContain('Results for “headphnes”');
    expect(html).toContain('Did you mean <a href="/search?q=headphones">headphones</a>');
    expect(html).toContain('class="facet-form"');
  });

  it('search with no result helps: tips and suggestions', async () => {
    const t = await shopApp();
    const html = await (await t.browser().get('/search?q=nothing+here')).text();
    expect(html).toContain('We found nothing for “nothing here”');
    expect(html).toContain('Check the spelling');
    expect(html).toContain('href="/search?q=headphones"');
  });

  it('search escapes what was typed', async () => {
    const t = await shopApp();
    const html = await (await t.browser().get('/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
  });

  it('product page: images with alt, variants with price and stock, pickup per store, reviews, related', async () => {
    const t = await shopApp();
    const res = await t.browser().get(`/p/${SLUG}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(h1s(html)).toBe(1);
    expect(html).toContain('alt="Aurion Pro Headphones, front"');
    expect(html).toMatch(/<option value="AUR-1-BLK" selected[^>]*>Black — \$199\.99 — in stock/);
    expect(html).toMatch(/<option value="AUR-1-WHT"[^>]*>White — \$199\.99 — out of stock/);
    expect(html).toContain('Downtown store');
    expect(html).toContain('available for pickup');
    expect(html).toContain('Average 4.5 out of 5 from 2 reviews');
    // Review text is escaped, and a guest is asked to sign in before writing one.
    expect(html).toContain('Sam &lt;script&gt;');
    expect(html).toContain('to write a review');
    expect(html).not.toContain('action="/p/aurion-pro-headphones/reviews"');
    expect(html).toContain('More in Headphones');
  });

  it('product: ?sku= picks the variant; an out-of-stock one cannot be added', async () => {
    const t = await shopApp();
    const html = await (await t.browser().get(`/p/${SLUG}?sku=AUR-1-WHT`)).text();
    expect(html).toMatch(/<option value="AUR-1-WHT" selected/);
    expect(html).toMatch(/<button type="submit" disabled="" data-add-button/);
  });

  it('product: unknown → 404 page; stock service down → the page still sells and says stock is unknown', async () => {
    const t = await shopApp();
    expect((await t.browser().get('/p/no-such-thing')).status).toBe(404);
    t.state.fail.set('/api/inventory', () => problem(503, 'unavailable', 'down'));
    const res = await t.browser().get(`/p/${SLUG}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Stock information is not available right now');
  });

  it('product: a catalog failure is a kind 503 page with no internals', async () => {
    const t = await shopApp();
    t.state.fail.set('/api/catalog/products/', () => problem(500, 'internal', 'TypeError at foo.ts:12:3'));
    const res = await t.browser().get(`/p/${SLUG}`);
    const html = await res.text();
    expect(res.status).toBe(503);
    expect(html).toContain('Something went wrong');
    expect(html).not.toContain('foo.ts');
  });

  it('reviews: signed-in shoppers get the form; errors come back inline; a duplicate is explained', async () => {
    const t = await shopApp();
    const b = t.browser({ customer: 'cust-1' });
    const page = await (await b.get(`/p/${SLUG}`)).text();
    expect(page).toContain(`action="/p/${SLUG}/reviews"`);

    const empty = await b.post(`/p/${SLUG}/reviews`, { author: '', body: '' });
    expect(empty.status).toBe(422);
    const html = await empty.text();
    expect(html).toContain('Please enter the name to show with your review');
    expect(html).toContain('Please choose a rating');
    expect(html).toContain('Please write a few words');
    expect(t.callsTo('POST', `/api/catalog/products/${SLUG}/reviews`)).toHaveLength(0);

    const dup = await b.post(`/p/${SLUG}/reviews`, { author: 'Taken', rating: '4', body: 'Nice' });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('already reviewed this product');

    const ok = await b.post(`/p/${SLUG}/reviews`, {
      author: 'Ada',
      rating: '5',
      title: 'Love it',
      body: 'Great sound',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/p/${SLUG}?done=review#reviews`);
    expect(t.callsTo('POST', `/api/catalog/products/${SLUG}/reviews`).at(-1)?.body).toEqual({
      author: 'Ada',
      rating: 5,
      title: 'Love it',
      body: 'Great sound',
    });
  });

  it('a guest posting a review is sent to sign in', async () => {
    const t = await shopApp();
    const res = await t.browser().post(`/p/${SLUG}/reviews`, { author: 'A', rating: '5', body: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/account\/sign-in\?next=/);
  });
});
