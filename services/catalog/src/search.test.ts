import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from './seed/index.ts';
import { type TestCatalog, testCatalog } from './test-app.ts';

/** Search over the seeded demo store (300 products, seed 42), through the HTTP API. */
let t: TestCatalog;
beforeAll(async () => {
  t = await testCatalog();
  const result = await seedCatalog(t.db, { products: 300, seed: 42 });
  expect(result.inserted).toBe(300);
});
afterAll(() => t.close());

interface Item {
  id: string;
  slug: string;
  name: string;
  price: { amount: number } | null;
}
interface Page {
  query: { q: string; corrected: string | null; matched: string };
  total: number;
  items: Item[];
  nextCursor: string | null;
  facets: {
    categories: { slug: string; count: number }[];
    brands: { slug: string; count: number }[];
    price: { buckets: { min: number; max: number | null; count: number }[] };
    attributes: { key: string; values: { value: string; count: number }[] }[];
  };
}

const search = async (params: Record<string, string | number>): Promise<Page> => {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await t.get(`/products?${qs}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return jsonOf(res);
};

describe('relevance', () => {
  it.each([
    ['andriod fone', /Android (Smartphone|Phone)$/, 'android phone'],
    ['wireless headphones', /Wireless .*Headphones$/, null],
    ['running shoes women', /^\w+ Women's .*Running Shoes$/, null],
    ['womens running shoes', /^\w+ Women's .*Running Shoes$/, null],
    ['hedphones', /Headphones$/, 'headphones'],
    ['snekers', /Sneakers$/, 'sneakers'],
    ['cast iron skilet', /Cast Iron Skillet$/, 'cast iron skillet'],
    ['android tablet', /Android Tablet$/, null],
    ['pixelon phone', /^Pixelon .*Phone$/, null],
    ['backpacking tent', /Backpacking Tent$/, null],
    ['lapto', /Laptop$/, null],
  ])('%j ranks matching products first', async (q, expected, corrected) => {
    const page = await search({ q, limit: 5 });
    expect(page.items.length, `no results for ${q}`).toBeGreaterThanOrEqual(3);
    for (const item of page.items) expect(item.name).toMatch(expected);
    expect(page.query.corrected).toBe(corrected);
  });

  it('falls back to any word when no product has them all', async () => {
    const page = await search({ q: 'android phone unicorn', limit: 5 });
    expect(page.query.matched).toBe('any');
    for (const item of page.items) expect(item.name).toMatch(/Android (Smartphone|Phone)$/);
  });

  it('echoes the query as this request typed it, even from the cache', async () => {
    expect((await search({ q: 'Tent' })).query.q).toBe('Tent');
    expect((await search({ q: 'tent' })).query.q).toBe('tent');
  });

  it('finds nothing for nonsense, and treats stop words alone as browsing', async () => {
    expect((await search({ q: 'xyzzy qwfp' })).total).toBe(0);
    expect((await search({ q: 'the' })).total).toBe((await search({})).total);
  });

  it('never shows drafts or archived products', async () => {
    const all = await collect({ sort: 'newest' });
    const { rows } = await t.db.query<{ slug: string }>(`SELECT slug FROM products WHERE status <> 'published'`);
    expect(rows.length).toBeGreaterThan(0);
    const shown = new Set(all.map((i) => i.slug));
    for (const r of rows) expect(shown.has(r.slug)).toBe(false);
    const published = await t.db.query(`SELECT 1 FROM products WHERE status = 'published'`);
    expect(all.length).toBe(published.rowCount);
  });
});

/** Every item of a result set, following cursors. */
async function collect(params: Record<string, string | number>, limit = 40): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let total = -1;
  do {
    const page: Page = await search({ ...params, limit, ...(cursor ? { cursor } : {}) });
    total = page.total;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  expect(items.length).toBe(total);
  return items;
}

describe('cursor pagination', () => {
  it.each([
    [{ q: 'shoes', sort: 'relevance' }],
    [{ sort: 'newest' }],
    [{ sort: 'price_asc', currency: 'GBP' }],
    [{ sort: 'price_desc', currency: 'GBP' }],
    [{ category: 'electronics', sort: 'price_asc' }],
  ] as Record<string, string>[][])('covers every result exactly once: %j', async (params) => {
    const items = await collect(params, 7);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    if (params.sort?.startsWith('price')) {
      const priced = items.filter((i) => i.price);
      // Products without a price in the currency come last.
      expect(items.slice(0, priced.length)).toEqual(priced);
      const amounts = priced.map((i) => i.price?.amount ?? 0);
      const sorted = [...amounts].sort((a, b) => (params.sort === 'price_asc' ? a - b : b - a));
      expect(amounts).toEqual(sorted);
    }
  });

  it('refuses a cursor from another sort or a forged one with 400', async () => {
    const page = await search({ sort: 'newest', limit: 2 });
    const wrong = await t.get(`/products?sort=price_asc&cursor=${page.nextCursor}`);
    expect(wrong.status).toBe(400);
    expect((await t.get('/products?cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('facets', () => {
  // Facet counts are over the filtered result set: collect that set through the API, count what
  // its rows carry straight from the search rows, and compare every value the response shows.
  it.each([[{}], [{ category: 'electronics' }], [{ q: 'shoes' }], [{ q: 'wireless', currency: 'EUR' }]] as Record<
    string,
    string
  >[][])('count exactly the results that carry each value: %j', async (params) => {
    const page = await search({ ...params, limit: 1 });
    const ids = (await collect(params, 100)).map((i) => i.id);
    expect(ids.length).toBe(page.total);
    expect(page.total).toBeGreaterThan(0);
    const { rows } = await t.db.query<{ label: string; n: number }>(
      `SELECT CASE fv.kind WHEN 'category' THEN 'category:' || c.slug WHEN 'brand' THEN 'brand:' || b.slug
                           ELSE 'attr:' || fv.key || '=' || fv.value END AS label, count(*)::int AS n
         FROM search_doc d, unnest(d.facets) v
         JOIN facet_values fv ON fv.id = v
         LEFT JOIN categories c ON fv.kind = 'category' AND c.id::text = fv.value
         LEFT JOIN brands b ON fv.kind = 'brand' AND b.id::text = fv.value
        WHERE d.product_id = ANY($1::uuid[]) GROUP BY 1
       UNION ALL
       SELECT 'price:' || (price_bucket_bounds($2))[width_bucket((d.prices ->> $2)::bigint, price_bucket_bounds($2))],
              count(*)::int
         FROM search_doc d WHERE d.product_id = ANY($1::uuid[]) AND d.prices ? $2 GROUP BY 1`,
      [ids, params.currency ?? 'USD'],
    );
    const expected = new Map(rows.map((r) => [r.label, r.n]));
    const shown = new Map<string, number>([
      ...page.facets.categories.map((c): [string, number] => [`category:${c.slug}`, c.count]),
      ...page.facets.brands.map((b): [string, number] => [`brand:${b.slug}`, b.count]),
      ...page.facets.attributes.flatMap((a) =>
        a.values.map((v): [string, number] => [`attr:${a.key}=${v.value}`, v.count]),
      ),
    ]);
    const bounds = page.facets.price.buckets;
    for (const b of bounds) shown.set(`price:${b.min}`, b.count);
    for (const [label, count] of shown) expect(count, label).toBe(expected.get(label));
    // Categories and price buckets are never truncated.
    for (const [label, count] of expected) {
      if (label.startsWith('category:') || label.startsWith('price:')) expect(shown.get(label), label).toBe(count);
    }

    // And the same numbers come back when a value is used as a filter.
    const narrowing: [Record<string, string | number>, number][] = [
      ...page.facets.brands.slice(0, 2).map((b): [Record<string, string>, number] => [{ brand: b.slug }, b.count]),
      ...page.facets.attributes
        .slice(0, 2)
        .map((a): [Record<string, string>, number] => [
          { [`attr.${a.key}`]: a.values[0]?.value ?? '' },
          a.values[0]?.count ?? 0,
        ]),
      ...bounds
        .slice(0, 2)
        .map((b): [Record<string, number>, number] => [
          { minPrice: b.min, ...(b.max === null ? {} : { maxPrice: b.max - 1 }) },
          b.count,
        ]),
    ];
    for (const [extra, count] of narrowing) {
      expect((await search({ ...params, ...extra, limit: 1 })).total, JSON.stringify(extra)).toBe(count);
    }
  });

  it('sums a category subtree from its children', async () => {
    const page = await search({ limit: 1 });
    const count = (slug: string) => page.facets.categories.find((c) => c.slug === slug)?.count ?? 0;
    expect(count('electronics')).toBe(
      count('phones') + count('laptops') + count('tablets') + count('audio') + count('cameras'),
    );
    expect(count('audio')).toBe(count('headphones') + count('speakers'));
    expect((await search({ category: 'audio', limit: 1 })).total).toBe(count('audio'));
  });
});

describe('filters', () => {
  it('applies brands as any-of, attributes as all-of keys, prices inclusively', async () => {
    const one = await search({ brand: 'sonique', limit: 1 });
    const two = await search({ brand: 'aurion', limit: 1 });
    const both = await t.get('/products?brand=sonique&brand=aurion&limit=1');
    expect((await jsonOf(both)).total).toBe(one.total + two.total);
    const black = await search({ 'attr.color': 'black', limit: 1 });
    const blackAndroid = await search({ 'attr.color': 'black', 'attr.os': 'android', limit: 1 });
    expect(blackAndroid.total).toBeGreaterThan(0);
    expect(blackAndroid.total).toBeLessThan(black.total);
    const cheapest = (await search({ sort: 'price_asc', limit: 1 })).items[0]?.price?.amount ?? 0;
    expect((await search({ minPrice: cheapest, maxPrice: cheapest, limit: 1 })).total).toBeGreaterThan(0);
    expect((await search({ maxPrice: cheapest - 1, limit: 1 })).total).toBe(0);
  });

  it('returns nothing for unknown filter values and 422 for malformed ones', async () => {
    expect((await search({ brand: 'no-such-brand' })).total).toBe(0);
    expect((await search({ category: 'no-such-category' })).total).toBe(0);
    expect((await search({ 'attr.color': 'ultraviolet' })).total).toBe(0);
    for (const bad of ['minPrice=-1', 'limit=0', 'limit=101', 'sort=best', 'currency=usd', 'attr.Bad=x', 'nope=1']) {
      const res = await t.get(`/products?${bad}`);
      expect(res.status, bad).toBe(422);
    }
    expect((await t.get('/products?minPrice=10&maxPrice=5')).status).toBe(422);
  });
});

describe('suggest', () => {
  it('completes the word being typed and names matching products', async () => {
    const res = await jsonOf(await t.get('/suggest?q=wireless+he'));
    expect(res.terms[0]).toBe('wireless headphones');
    for (const term of res.terms) expect(['wireless headphones', 'wireless headphone']).toContain(term);
    expect(res.products.length).toBeGreaterThan(0);
    const andr = await jsonOf(await t.get('/suggest?q=Andr'));
    expect(andr.terms[0]).toBe('android');
    const kit = await jsonOf(await t.get('/suggest?q=kitc'));
    expect(kit.categories.map((c: { slug: string }) => c.slug)).toEqual(['kitchen']);
    const brand = await jsonOf(await t.get('/suggest?q=sonI'));
    expect(brand.brands.map((b: { slug: string }) => b.slug)).toEqual(['sonique']);
    expect(await jsonOf(await t.get('/suggest?q=%20'))).toEqual({
      terms: [],
      products: [],
      categories: [],
      brands: [],
    });
  });
});
