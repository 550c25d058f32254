import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from './seed/index.ts';
import { type TestCatalog, testCatalog } from './test-app.ts';

/**
 * Nothing a client sends may produce a 500: random paths, query strings, headers and bodies on
 * every route (staff routes with the real token, so validation and SQL are reached), against a
 * small seeded store. Every refusal must be problem+json.
 */
let t: TestCatalog;
let staffToken: string;
let known: { ids: string[]; slugs: string[]; skus: string[]; categories: string[]; brands: string[] };
beforeAll(async () => {
  t = await testCatalog();
  staffToken = await t.auth.staffToken(['merchandiser']);
  await seedCatalog(t.db, { products: 40, seed: 7 });
  const col = async (sql: string) => (await t.db.query<{ v: string }>(sql)).rows.map((r) => r.v);
  known = {
    ids: await col('SELECT id::text AS v FROM products LIMIT 5'),
    slugs: await col('SELECT slug AS v FROM products LIMIT 5'),
    skus: await col('SELECT sku AS v FROM variants LIMIT 5'),
    categories: await col('SELECT id::text AS v FROM categories LIMIT 3'),
    brands: await col('SELECT id::text AS v FROM brands LIMIT 3'),
  };
});
afterAll(() => t.close());

const ROUTES: [method: string, template: string][] = [
  ['GET', '/products'],
  ['GET', '/products/:idOrSlug'],
  ['GET', '/products/:idOrSlug/reviews'],
  ['POST', '/products/:idOrSlug/reviews'],
  ['GET', '/categories'],
  ['GET', '/categories/:slug/products'],
  ['GET', '/brands'],
  ['GET', '/suggest'],
  ['GET', '/skus'],
  ['POST', '/admin/products'],
  ['GET', '/admin/products'],
  ['GET', '/admin/products/:id'],
  ['GET', '/admin/stats'],
  ['PATCH', '/admin/products/:id'],
  ['DELETE', '/admin/products/:id'],
  ['POST', '/admin/products/:id/variants'],
  ['PATCH', '/admin/variants/:sku'],
  ['DELETE', '/admin/variants/:sku'],
  ['PUT', '/admin/variants/:sku/prices/:currency'],
  ['DELETE', '/admin/variants/:sku/prices/:currency'],
  ['POST', '/admin/categories'],
  ['PATCH', '/admin/categories/:id'],
  ['DELETE', '/admin/categories/:id'],
  ['POST', '/admin/brands'],
  ['PATCH', '/admin/brands/:id'],
  ['DELETE', '/admin/brands/:id'],
];

const nasty = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', '9007199254740993', '\u0000', "'; DROP TABLE products; --", '%', '_'),
  fc.constantFrom('a:* & !b', '(((', 'x'.repeat(500), 'USD', 'price_asc', 'black', 'andriod fone'),
  fc.constantFrom('rating', '1', '4', '5', '3.5', '1e0', ' 4', 'true'),
);
const segment = () =>
  fc.oneof(
    nasty,
    fc.uuid(),
    fc.constant('x'),
    fc.constantFrom(...(known.ids.length ? known.ids : ['x'])),
    fc.constantFrom(...(known.slugs.length ? known.slugs : ['x'])),
    fc.constantFrom(...(known.skus.length ? known.skus : ['x'])),
    fc.constantFrom(...known.categories, ...known.brands, 'USD', 'EUR'),
  );
const QUERY_KEYS = [
  'q',
  'category',
  'brand',
  'currency',
  'minPrice',
  'maxPrice',
  'inStock',
  'minRating',
  'sort',
  'cursor',
  'limit',
  'status',
  'sku',
  'categoryId',
  'brandId',
];
const query = () =>
  fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.constantFrom('attr.color', 'attr.size', 'attr.X'), nasty),
      fc.oneof(nasty, fc.constantFrom(...known.categories, ...known.brands, ...known.skus)),
    ),
    { maxLength: 6 },
  );
const FIELDS = ['name', 'slug', 'description', 'brandId', 'categoryId', 'status', 'attributes', 'images', 'variants'];
const fieldValue = () =>
  fc.oneof(
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(...known.brands, ...known.categories),
  );
const body = () =>
  fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    nasty,
    fc
      .dictionary(
        fc.constantFrom(...FIELDS, 'author', 'rating', 'title', 'body', 'options', 'amount', 'compareAt', 'parentId'),
        fieldValue(),
      )
      .map((o) => JSON.stringify(o)),
  );

describe('every catalog route', () => {
  it('answers random input with a 2xx/4xx, never a 5xx, and refusals as problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(segment(), { minLength: 3, maxLength: 3 }),
        query(),
        body(),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', undefined),
        async ([method, template], segments, params, payload, contentType) => {
          let i = 0;
          const path = template.replace(/:\w+/g, () => encodeURIComponent(segments[i++] ?? 'x'));
          const qs = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          const res = await t.app.request(`${path}${qs ? `?${qs}` : ''}`, {
            method,
            headers: {
              authorization: `Bearer ${staffToken}`,
              ...(contentType ? { 'content-type': contentType } : {}),
            },
            ...(payload === undefined || method === 'GET' ? {} : { body: payload }),
          });
          const text = await res.text();
          expect(res.status, `${method} ${path}?${qs} ${payload ?? ''} → ${text}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
    );
  });

  it('searches and suggests for any text at all', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), nasty),
        fc.constantFrom('relevance', 'price_asc', 'price_desc', 'newest', 'rating'),
        fc.option(fc.integer({ min: 1, max: 4 })),
        async (q, sort, minRating) => {
          const rating = minRating === null ? '' : `&minRating=${minRating}`;
          const search = await t.app.request(
            `/products?q=${encodeURIComponent(q.slice(0, 200))}&sort=${sort}${rating}`,
          );
          expect(search.status, `q=${JSON.stringify(q)} → ${await search.clone().text()}`).toBeLessThan(500);
          const suggest = await t.app.request(`/suggest?q=${encodeURIComponent(q.slice(0, 100))}`);
          expect(suggest.status, `suggest ${JSON.stringify(q)}`).toBeLessThan(500);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });

  it('answers a made-up cursor for any sort with a page or a 400, never a 500', async () => {
    const key = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.tuple(
        fc.oneof(fc.string({ maxLength: 50 }), fc.stringMatching(/^\d(\.\d{1,40})?$/), fc.double().map(String)),
        fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 31)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('relevance', 'price_asc', 'price_desc', 'newest', 'rating'),
        fc.constantFrom('rank', 'price_asc', 'price_desc', 'newest', 'rating', 'x'),
        key,
        fc.oneof(fc.uuid(), fc.constantFrom(...(known.ids.length ? known.ids : ['x'])), fc.string({ maxLength: 40 })),
        fc.option(fc.integer({ min: 1, max: 4 })),
        async (sort, cursorSort, k, id, minRating) => {
          const cursor = Buffer.from(JSON.stringify([cursorSort, k, id]))
            .toString('base64url')
            .slice(0, 400);
          const rating = minRating === null ? '' : `&minRating=${minRating}`;
          const res = await t.app.request(`/products?sort=${sort}&cursor=${cursor}${rating}`);
          const text = await res.text();
          expect([200, 400], `${sort} ${JSON.stringify([cursorSort, k, id])} → ${text}`).toContain(res.status);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });
});
