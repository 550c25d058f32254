import { seedLevels } from '@storefront/inventory/seed/levels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageIn, ProductCreate } from '../schemas.ts';
import { migratedCatalogDb } from '../test-app.ts';
import { BRANDS, CATEGORIES, seedCatalog, seedProduct } from './index.ts';

describe('seedProduct', () => {
  it('is a pure function of (seed, index)', () => {
    expect(seedProduct(42, 7)).toEqual(seedProduct(42, 7));
    expect(seedProduct(42, 7)).not.toEqual(seedProduct(43, 7));
    expect(seedProduct(42, 7).slug).not.toBe(seedProduct(42, 8).slug);
  });

  it('makes believable, valid products', () => {
    const products = Array.from({ length: 400 }, (_, i) => seedProduct(42, i));
    const leafs = new Set(CATEGORIES.filter((c) => !CATEGORIES.some((d) => d.parent === c.slug)).map((c) => c.slug));
    for (const p of products) {
      expect(leafs.has(p.categorySlug), p.categorySlug).toBe(true);
      expect(BRANDS.some((b) => b.slug === p.brandSlug)).toBe(true);
      expect(p.variants.length).toBeGreaterThan(0);
      for (const v of p.variants) {
        expect(v.prices.map((x) => x.currency)).toEqual(expect.arrayContaining(['USD', 'EUR']));
        for (const x of v.prices) expect(Number.isSafeInteger(x.amount) && x.amount > 0).toBe(true);
      }
      for (const image of p.images) expect(ImageIn.safeParse(image).success).toBe(true);
      // What a staff member could have typed through the API.
      const asInput = { ...p, variants: p.variants.map(({ sku, options, prices }) => ({ sku, options, prices })) };
      const parsed = ProductCreate.safeParse({ ...asInput, brandId: null, categoryId: null });
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(products.filter((p) => /Android (Smartphone|Phone)$/.test(p.name)).length).toBeGreaterThan(10);
    expect(products.filter((p) => /Women's .*Running Shoes$/.test(p.name)).length).toBeGreaterThan(5);
    expect(new Set(products.map((p) => p.categorySlug)).size).toBe(leafs.size);
    expect(products.some((p) => p.status === 'draft') && products.some((p) => p.status === 'archived')).toBe(true);
  });
});

describe('seedCatalog', () => {
  const db = migratedCatalogDb();
  beforeAll(async () => {
    await db;
  });
  afterAll(async () => (await db).drop());

  const counts = async () => {
    const d = await db;
    const n = async (table: string) =>
      (await d.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n;
    return {
      products: await n('products'),
      variants: await n('variants'),
      prices: await n('prices'),
      reviews: await n('reviews'),
      categories: await n('categories'),
      brands: await n('brands'),
      search: await n('search_doc'),
      levels: await n('stock_levels'),
      inStock: await n('search_doc WHERE in_stock'),
    };
  };

  it('is idempotent and extends the same store when asked for more', async () => {
    const first = await seedCatalog(await db, { products: 120, seed: 42, batch: 50 });
    expect(first.inserted).toBe(120);
    const after = await counts();
    expect(after).toMatchObject({ products: 120, categories: CATEGORIES.length, brands: BRANDS.length });
    expect(after.search).toBe(
      120 - [...Array(120).keys()].filter((i) => seedProduct(42, i).status !== 'published').length,
    );

    const again = await seedCatalog(await db, { products: 120, seed: 42 });
    expect(again.inserted).toBe(0);
    expect(await counts()).toEqual(after);

    const more = await seedCatalog(await db, { products: 150, seed: 42 });
    expect(more.inserted).toBe(30);
    expect((await counts()).products).toBe(150);
  });

  it('knows the stock inventory seeds for the same SKUs, and which products are in stock', async () => {
    const d = await db;
    const products = Array.from({ length: 150 }, (_, i) => seedProduct(42, i));
    const levels = products.flatMap((p) => p.variants.flatMap((v) => seedLevels(42, v.sku)));
    const rows = await d.query<{ sku: string; location: string; available: number }>(
      'SELECT sku, location, available FROM stock_levels WHERE version = 0',
    );
    const key = (sku: string, location: string) => `${sku}@${location}`;
    expect(new Map(rows.rows.map((r) => [key(r.sku, r.location), r.available]))).toEqual(
      new Map(levels.map((l) => [key(l.sku, l.location), l.onHand])),
    );
    const inStock = products
      .filter((p) => p.status === 'published')
      .filter((p) => p.variants.some((v) => seedLevels(42, v.sku).some((l) => l.onHand > 0)));
    const flagged = await d.query<{ slug: string }>('SELECT slug FROM search_doc WHERE in_stock ORDER BY slug');
    expect(flagged.rows.map((r) => r.slug)).toEqual(inStock.map((p) => p.slug).sort());
    // Some demo products are sold out everywhere, so the filter has something to filter.
    expect(inStock.length).toBeLessThan(products.filter((p) => p.status === 'published').length);
  });

  it('fills in the stock of products seeded before the catalog knew stock', async () => {
    const d = await db;
    const before = await counts();
    await d.query('DELETE FROM stock_levels');
    await d.query('UPDATE search_doc SET in_stock = false');
    const again = await seedCatalog(d, { products: 150, seed: 42 });
    expect(again.inserted).toBe(0);
    expect(await counts()).toEqual(before);
  });
});
