import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from './seed/index.ts';
import { type TestCatalog, testCatalog } from './test-app.ts';

/**
 * Rating filter, facet and sort over the seeded demo store (about half the products reviewed,
 * averages skewed high, so many share an average and a review count), through the HTTP API and
 * checked against search_doc's own figures.
 */
let t: TestCatalog;
/** Review count and sum of every published product, by id. */
let figures: Map<string, { count: number; sum: number }>;
beforeAll(async () => {
  t = await testCatalog();
  await seedCatalog(t.db, { products: 160, seed: 11 });
  const { rows } = await t.db.query<{ id: string; count: number; sum: number }>(
    'SELECT product_id AS id, rating_count AS count, rating_sum AS sum FROM search_doc',
  );
  figures = new Map(rows.map((r) => [r.id, { count: r.count, sum: r.sum }]));
});
afterAll(() => t.close());

interface Page {
  total: number;
  items: { id: string; rating: { count: number; average: number | null } }[];
  nextCursor: string | null;
  facets: { rating: { min: number; count: number }[]; categories: { slug: string; count: number }[] };
}

const search = async (path: string, params: Record<string, string | number>): Promise<Page> => {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await t.get(`${path}?${qs}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return jsonOf(res);
};

/** Every page, following cursors; also the page boundaries (index of each page's first item). */
async function collect(path: string, params: Record<string, string | number>, limit: number) {
  const ids: string[] = [];
  const starts: number[] = [];
  let cursor: string | null = null;
  let total = -1;
  do {
    const page: Page = await search(path, { ...params, limit, ...(cursor ? { cursor } : {}) });
    total = page.total;
    starts.push(ids.length);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(ids.length).toBe(total);
  expect(new Set(ids).size).toBe(ids.length);
  return { ids, starts };
}

const fig = (id: string) => figures.get(id) ?? { count: 0, sum: 0 };
/** Average DESC (exact, by cross-multiplying; unreviewed last), count DESC, id ASC. */
const byRating = (a: string, b: string) => {
  const x = fig(a);
  const y = fig(b);
  // Positive when a's average is higher (any average beats none).
  const higher = (x.count ? 1 : 0) - (y.count ? 1 : 0) || x.sum * y.count - y.sum * x.count;
  return -higher || y.count - x.count || (a < b ? -1 : a > b ? 1 : 0);
};
const reaches = (id: string, level: number) => fig(id).count > 0 && fig(id).sum >= level * fig(id).count;
const sameKey = (a: string, b: string) => fig(a).count === fig(b).count && fig(a).sum === fig(b).sum;

describe('sort=rating', () => {
  it.each([
    ['/products', {}],
    ['/categories/electronics/products', {}],
    ['/products', { q: 'black' }],
    ['/products', { minRating: 3 }],
    ['/products', { inStock: 'true', currency: 'EUR' }],
  ] as [string, Record<string, string | number>][])(
    '%s %j pages through every result once, best average first, ties by review count then id',
    async (path, params) => {
      const { ids, starts } = await collect(path, { ...params, sort: 'rating' }, 4);
      expect(ids.length).toBeGreaterThan(8);
      expect(ids).toEqual([...ids].sort(byRating));
      // The data has ties on (average, count), and pages end inside them: the id keeps them apart.
      const split = starts.slice(1).filter((s) => sameKey(ids[s - 1] ?? '', ids[s] ?? ''));
      if (!params.q) expect(split.length).toBeGreaterThan(0);
    },
  );

  it('shows the averages it sorted by, unreviewed products last', async () => {
    const page = await search('/products', { sort: 'rating', limit: 100 });
    const averages = page.items.map((i) => i.rating.average ?? 0);
    expect(averages).toEqual([...averages].sort((a, b) => b - a));
    expect(page.items.at(-1)?.rating.count).toBe(0);
  });

  it('refuses a cursor of another sort, and another sort refuses its cursor', async () => {
    const rated = await search('/products', { sort: 'rating', limit: 2 });
    const newest = await search('/products', { sort: 'newest', limit: 2 });
    expect((await t.get(`/products?sort=newest&cursor=${rated.nextCursor}`)).status).toBe(400);
    const refused = await t.get(`/products?sort=rating&cursor=${newest.nextCursor}`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('minRating and the rating facet', () => {
  /** What the rating facet must say for these result ids. */
  const expectedFacet = (ids: readonly string[]) =>
    [4, 3, 2, 1].map((min) => ({ min, count: ids.filter((id) => reaches(id, min)).length }));

  it.each([
    ['/products', {}],
    ['/categories/home/products', {}],
    ['/products', { q: 'black' }],
    ['/products', { minRating: 3 }],
    ['/products', { minRating: 4, category: 'electronics' }],
    ['/products', { minRating: 2, inStock: 'true' }],
  ] as [string, Record<string, string | number>][])(
    '%s %j: counts ≥4, ≥3, ≥2, ≥1 over the filtered set, its own filter included',
    async (path, params) => {
      const page = await search(path, { ...params, limit: 1 });
      const { ids } = await collect(path, params, 100);
      expect(page.facets.rating).toEqual(expectedFacet(ids));
      if (params.minRating) {
        for (const id of ids) expect(reaches(id, Number(params.minRating)), id).toBe(true);
        // Every result reaches the chosen level, so every lower level counts all of them.
        for (const f of page.facets.rating.filter((x) => x.min <= Number(params.minRating)))
          expect(f.count).toBe(ids.length);
      }
    },
  );

  it('narrows to exactly the count the facet offered, for each level', async () => {
    const page = await search('/products', { limit: 1 });
    expect(page.facets.rating.map((f) => f.min)).toEqual([4, 3, 2, 1]);
    const all = [...figures.keys()];
    for (const f of page.facets.rating) {
      expect(f.count, `≥${f.min}`).toBe(all.filter((id) => reaches(id, f.min)).length);
      expect((await search('/products', { minRating: f.min, limit: 1 })).total).toBe(f.count);
    }
    // "4 stars & up" leaves out some reviewed products: averages below 4 exist in the data.
    expect(page.facets.rating[0]?.count).toBeLessThan(page.facets.rating[3]?.count ?? 0);
  });

  it('answers an empty result with every level at 0', async () => {
    const page = await search('/products', { q: 'xyzzy qwfp', minRating: 4 });
    expect(page.total).toBe(0);
    expect(page.facets.rating).toEqual([4, 3, 2, 1].map((min) => ({ min, count: 0 })));
  });

  it.each([
    'minRating=0',
    'minRating=5',
    'minRating=3.5',
    'minRating=-1',
    'minRating=four',
    'minRating=',
    'minRating=4&minRating=3',
    'sort=top',
  ])('refuses %s as problem+json', async (bad) => {
    const res = await t.get(`/products?${bad}`);
    expect(res.status, bad).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('OpenAPI', () => {
  it('documents minRating, the rating sort and the rating facet', async () => {
    const doc = await jsonOf(await t.get('/openapi.json'));
    for (const path of ['/products', '/categories/{slug}/products']) {
      const params = doc.paths[path].get.parameters as { name: string; schema: Record<string, unknown> }[];
      const minRating = params.find((p) => p.name === 'minRating');
      expect(minRating?.schema).toMatchObject({ minimum: 1, maximum: 4 });
      expect(params.find((p) => p.name === 'sort')?.schema.enum).toContain('rating');
    }
    const facets = doc.paths['/products'].get.responses['200'].content['application/json'].schema.properties.facets;
    expect(facets.properties.rating.items.properties).toHaveProperty('min');
  });
});
