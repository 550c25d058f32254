import { createRoute, createRouter, NotFound, z } from '@storefront/kit';
import type { CatalogDeps } from './app.ts';
import { categoryTree } from './domain.ts';
import { type SearchParams, searchKey } from './domain-search.ts';
import {
  attrFilters,
  BrandOut,
  CategoryNode,
  IdOrSlug,
  json,
  ProductOut,
  SearchOut,
  SearchQuery,
  type SearchQueryIn,
  Slug,
} from './schemas.ts';
import { runSearch, runSuggest } from './search.ts';
import * as store from './store.ts';

/** Shopper-facing reads: only published products, served through the cache. */
export function publicRoutes(deps: CatalogDeps) {
  const app = createRouter();
  const { db, cache } = deps;

  const search = async (query: SearchQueryIn, category: string | null) => {
    const brand = query.brand;
    const params: SearchParams = {
      q: query.q ?? '',
      category,
      brands: brand === undefined ? [] : [...new Set(Array.isArray(brand) ? brand : [brand])].sort(),
      currency: query.currency,
      minPrice: query.minPrice ?? null,
      maxPrice: query.maxPrice ?? null,
      attrs: attrFilters(query),
      inStock: query.inStock === undefined ? null : query.inStock === 'true',
      minRating: query.minRating ?? null,
      sort: query.sort,
      cursor: query.cursor ?? null,
      limit: query.limit,
    };
    // The key folds case and spacing of q, so echo this request's own q, not the cached one's.
    const result = await cache.list(`search:${searchKey(params)}`, () => runSearch(db, params));
    return { ...result, query: { ...result.query, q: params.q } };
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products',
      summary: 'Search published products with facets',
      description:
        'Full-text with typo tolerance, filters (category subtree, brand, price in a currency, `attr.<key>=value`, ' +
        'stock, minimum average rating), ' +
        'facet counts over the filtered set, sorts and an opaque keyset cursor.',
      request: { query: SearchQuery },
      responses: { 200: json(SearchOut, 'A page of results with facets') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await search(query, query.category ?? null), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products/{idOrSlug}',
      summary: 'A published product by id or slug',
      request: { params: z.object({ idOrSlug: IdOrSlug }) },
      responses: { 200: json(ProductOut, 'The product') },
    }),
    async (c) => {
      const { idOrSlug } = c.req.valid('param');
      const product = await cache.product(idOrSlug, () => store.getProductView(db, idOrSlug, { publishedOnly: true }));
      if (!product) throw new NotFound(`no product ${idOrSlug}`);
      return c.json(product, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/categories',
      summary: 'The category tree',
      responses: { 200: json(z.object({ items: z.array(CategoryNode) }), 'Root categories with their children') },
    }),
    async (c) => {
      const items = await cache.list('categories', async () => categoryTree(await store.listCategories(db)));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/categories/{slug}/products',
      summary: 'Published products anywhere under a category',
      request: { params: z.object({ slug: Slug }), query: SearchQuery },
      responses: { 200: json(SearchOut, 'A page of the listing with facets') },
    }),
    async (c) => {
      const { slug } = c.req.valid('param');
      const exists = await cache.list(`category:${slug}`, async () => (await store.getCategory(db, { slug })) !== null);
      if (!exists) throw new NotFound(`no category ${slug}`);
      return c.json(await search(c.req.valid('query'), slug), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/brands',
      summary: 'Every brand',
      responses: { 200: json(z.object({ items: z.array(BrandOut) }), 'Brands by name') },
    }),
    async (c) => c.json({ items: await cache.list('brands', () => store.listBrands(db)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/suggest',
      summary: 'Search-box suggestions for a prefix',
      request: {
        query: z.object({
          q: z.string().max(100),
          limit: z.coerce.number().int().min(1).max(10).default(5),
        }),
      },
      responses: {
        200: json(
          z.object({
            terms: z.array(z.string()),
            products: z.array(z.object({ slug: z.string(), name: z.string() })),
            categories: z.array(z.object({ slug: z.string(), name: z.string(), path: z.string() })),
            brands: z.array(z.object({ slug: z.string(), name: z.string() })),
          }),
          'Completions, products, categories and brands',
        ),
      },
    }),
    async (c) => {
      const { q, limit } = c.req.valid('query');
      const key = `suggest:${JSON.stringify([q.toLowerCase().trim(), limit])}`;
      return c.json(await cache.list(key, () => runSuggest(db, q, limit)), 200);
    },
  );

  return app;
}
