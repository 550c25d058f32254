import { createDb } from '@storefront/kit';
import { seedCatalog } from '../../../services/catalog/src/seed/index.ts';
import type { BenchRequest, Load, Scenario, ScenarioContext, Target } from '../types.ts';

/**
 * Catalog reads at 100k products (BENCH_CATALOG_PRODUCTS): category listing pages and faceted
 * search, each with the catalog's cache on (what shoppers get: the lists below repeat, as popular
 * pages and queries do) and off (every request runs its SQL: the cost of a cache miss).
 * The brief's bar: p99 < 50 ms at 200 req/s.
 */
const PRODUCTS = Number(process.env.BENCH_CATALOG_PRODUCTS ?? 100_000);
// Not imported from catalog-target.ts: loading that module starts the server.
const DATABASE_URL = process.env.BENCH_CATALOG_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_catalog';
const entry = new URL('./catalog-target.ts', import.meta.url);
const target = (cache: 'on' | 'off'): Target => ({
  kind: 'spawn',
  entry,
  ready: '/readyz',
  env: { CATALOG_CACHE: cache },
});
const loads: readonly Load[] = [{ mode: 'max' }, { mode: 'fixed', rate: 200 }];

const CATEGORIES = [
  'electronics',
  'phones',
  'laptops',
  'tablets',
  'audio',
  'headphones',
  'speakers',
  'cameras',
  'home',
  'kitchen',
  'furniture',
  'bedding',
  'fashion',
  'men',
  'mens-shoes',
  'mens-tops',
  'women',
  'womens-shoes',
  'womens-tops',
  'sports',
  'running',
  'cycling',
  'fitness',
  'outdoor',
];

/** First pages of every category, newest first and cheapest first. */
const listing: BenchRequest[] = CATEGORIES.flatMap((c) => [
  { path: `/categories/${c}/products?limit=24` },
  { path: `/categories/${c}/products?limit=24&sort=price_asc` },
]);

/** Searches a storefront sees: words (some misspelt), words with filters, filters alone; facets always. */
const search: BenchRequest[] = [
  'q=wireless+headphones',
  'q=andriod+fone',
  'q=running+shoes+women',
  'q=laptop&sort=price_asc',
  'q=android+phone&brand=pixelon',
  'q=shoes&attr.color=black',
  'q=speaker&minPrice=5000&maxPrice=20000',
  'q=cast+iron+skilet',
  'q=backpacking+tent',
  'q=yoga+mat',
  'q=merino+sweater&category=men',
  'q=espresso+machine',
  'q=sneakers&attr.size=9',
  'q=hedphones',
  'q=kids+tablet',
  'q=trail+running&category=womens-shoes',
  'q=standing+desk',
  'q=sheet+set&attr.size=queen',
  'q=gps+watch',
  'q=mirrorless+camera&sort=price_desc',
  'category=phones&brand=nimbus',
  'category=headphones&attr.noise_cancelling=yes',
  'brand=oakhaven&sort=price_asc',
  'category=womens-tops&attr.size=m&attr.color=navy',
  'q=bluetooth&currency=EUR',
].map((qs) => ({ path: `/products?${qs}&limit=24` }));

async function ensureSeeded(ctx: ScenarioContext): Promise<void> {
  // The target migrated the schema when it started.
  const db = createDb({ url: DATABASE_URL, schema: 'catalog', max: 2, statementTimeoutMs: 600_000 });
  try {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products');
    if ((rows[0]?.n ?? 0) >= PRODUCTS) return;
    ctx.log(`seeding ${PRODUCTS} products into ${DATABASE_URL} (once; minutes)`);
    const result = await seedCatalog(db, { products: PRODUCTS, seed: 42 });
    ctx.log(`seeded ${result.inserted} products in ${(result.ms / 1000).toFixed(0)} s`);
  } finally {
    await db.close();
  }
}

const scenario = (name: string, description: string, cache: 'on' | 'off', requests: BenchRequest[]): Scenario => ({
  name,
  description,
  target: target(cache),
  requests,
  loads,
  setup: ensureSeeded,
});

export const catalogCategoryListing = scenario(
  'catalog-category-listing',
  `GET /categories/:slug/products, 24 categories × 2 sorts, facets, ${PRODUCTS} products, cache on`,
  'on',
  listing,
);
export const catalogCategoryListingUncached = scenario(
  'catalog-category-listing-uncached',
  `the same listing pages with the catalog cache off (Postgres every time: maintained browse counts + one page)`,
  'off',
  listing,
);
export const catalogSearchFacets = scenario(
  'catalog-search-facets',
  `GET /products: 25 searches (typos, filters, sorts) with facet counts, ${PRODUCTS} products, cache on`,
  'on',
  search,
);
export const catalogSearchFacetsUncached = scenario(
  'catalog-search-facets-uncached',
  'the same searches with the catalog cache off (full-text, spelling lookups and facet aggregation every time)',
  'off',
  search,
);
