import { seedLevels } from '@storefront/inventory/seed/levels';
import type { Db, Queryable } from '@storefront/kit';
import { authorKey } from '../domain.ts';
import { refreshSearchDocs } from '../store-search-doc.ts';
import { insertStockLevels } from '../store-stock.ts';
import { type SeedProduct, seedProduct } from './generate.ts';
import { hash32, rng, uuidAt } from './prng.ts';
import { BRANDS, CATEGORIES } from './taxonomy.ts';

/**
 * Writes the demo store straight into the catalog's tables with multi-row INSERTs (unnest of
 * arrays), one transaction per batch. Every insert is ON CONFLICT DO NOTHING on slugs, SKUs and
 * ids, so running it again creates nothing; only newly inserted products get search rows. No
 * outbox events: seeding is a bulk load, not a stream of staff edits.
 *
 * Availability: inventory's seed loads its stock without events, so the catalog takes the same
 * levels from inventory's pure generator (same seed, same SKUs) at version 0, which any real
 * stock.changed.v1 overrides. Levels already known (from events or an earlier run) stay.
 */

export interface SeedOptions {
  readonly products: number;
  readonly seed?: number;
  /** Products per transaction (default 1000). */
  readonly batch?: number;
  readonly onProgress?: (done: number, inserted: number) => void;
}

export interface SeedResult {
  readonly products: number;
  readonly inserted: number;
  readonly ms: number;
}

const SEED_EPOCH = Date.UTC(2024, 11, 1);

async function ensureTaxonomy(db: Queryable) {
  for (const c of CATEGORIES) {
    await db.query(
      `INSERT INTO categories (id, parent_id, slug, name, path, position, created_at, updated_at)
       SELECT $1, p.id, $2, $3, coalesce(p.path, '/') || $2 || '/', $5, $6, $6
         FROM (SELECT 1) one LEFT JOIN categories p ON p.slug = $4
       ON CONFLICT DO NOTHING`,
      [
        uuidAt(SEED_EPOCH, rng(hash32('category', c.slug))),
        c.slug,
        c.name,
        c.parent,
        CATEGORIES.indexOf(c),
        new Date(SEED_EPOCH),
      ],
    );
  }
  for (const b of BRANDS) {
    await db.query(
      `INSERT INTO brands (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING`,
      [uuidAt(SEED_EPOCH, rng(hash32('brand', b.slug))), b.slug, b.name, new Date(SEED_EPOCH)],
    );
  }
  const ids = async (table: string) =>
    new Map(
      (await db.query<{ slug: string; id: string }>(`SELECT slug, id FROM ${table}`)).rows.map((r) => [r.slug, r.id]),
    );
  return { categories: await ids('categories'), brands: await ids('brands') };
}

async function insertBatch(
  tx: Queryable,
  seed: number,
  items: readonly SeedProduct[],
  refs: { categories: Map<string, string>; brands: Map<string, string> },
): Promise<string[]> {
  const stocked = await insertStockLevels(
    tx,
    items.flatMap((p) =>
      p.variants.flatMap((v) =>
        seedLevels(seed, v.sku).map((l) => ({ sku: l.sku, location: l.location, available: l.onHand, version: 0 })),
      ),
    ),
    new Date(SEED_EPOCH),
  );
  const col = <T>(f: (p: SeedProduct) => T) => items.map(f);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO products (id, slug, name, description, brand_id, category_id, status, attributes, images,
                           rating_count, rating_sum, created_at, updated_at)
     SELECT u.id, u.slug, u.name, u.description, u.brand_id, u.category_id, u.status, u.attributes, u.images,
            u.rating_count, u.rating_sum, u.created_at, u.created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::jsonb[],
                   $9::jsonb[], $10::int[], $11::int[], $12::timestamptz[])
         AS u(id, slug, name, description, brand_id, category_id, status, attributes, images, rating_count,
              rating_sum, created_at)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      col((p) => p.id),
      col((p) => p.slug),
      col((p) => p.name),
      col((p) => p.description),
      col((p) => refs.brands.get(p.brandSlug) ?? null),
      col((p) => refs.categories.get(p.categorySlug) ?? null),
      col((p) => p.status),
      col((p) => JSON.stringify(p.attributes)),
      col((p) => JSON.stringify(p.images)),
      col((p) => p.reviews.length),
      col((p) => p.reviews.reduce((s, r) => s + r.rating, 0)),
      col((p) => p.createdAt),
    ],
  );
  const inserted = new Set(rows.map((r) => r.id));
  const fresh = items.filter((p) => inserted.has(p.id));
  // Products seeded before the catalog knew stock get their levels now, and their search rows with them.
  const restocked = items.filter((p) => !inserted.has(p.id) && p.variants.some((v) => stocked.has(v.sku)));
  await refreshSearchDocs(
    tx,
    restocked.map((p) => p.id),
  );
  if (fresh.length === 0) return [];

  const variants = fresh.flatMap((p) => p.variants.map((v) => ({ ...v, productId: p.id, createdAt: p.createdAt })));
  await tx.query(
    `INSERT INTO variants (id, product_id, sku, options, position, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::int[], $6::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      variants.map((v) => v.id),
      variants.map((v) => v.productId),
      variants.map((v) => v.sku),
      variants.map((v) => JSON.stringify(v.options)),
      variants.map((v) => v.position),
      variants.map((v) => v.createdAt),
    ],
  );
  const prices = variants.flatMap((v) => v.prices.map((p) => ({ ...p, sku: v.sku, at: v.createdAt })));
  await tx.query(
    `INSERT INTO prices (sku, currency, amount, compare_at, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      prices.map((p) => p.sku),
      prices.map((p) => p.currency),
      prices.map((p) => p.amount),
      prices.map((p) => p.compareAt),
      prices.map((p) => p.at),
    ],
  );
  const reviews = fresh.flatMap((p) => p.reviews.map((r) => ({ ...r, productId: p.id })));
  await tx.query(
    `INSERT INTO reviews (id, product_id, author, author_key, rating, title, body, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[],
                          $8::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      reviews.map((r) => r.id),
      reviews.map((r) => r.productId),
      reviews.map((r) => r.author),
      reviews.map((r) => authorKey(r.author)),
      reviews.map((r) => r.rating),
      reviews.map((r) => r.title),
      reviews.map((r) => r.body),
      reviews.map((r) => r.createdAt),
    ],
  );
  const ids = fresh.map((p) => p.id);
  await refreshSearchDocs(tx, ids);
  return ids;
}

/** The demo store: categories, brands and `products` generated products (deterministic per seed). */
export async function seedCatalog(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const seed = opts.seed ?? 42;
  const batch = opts.batch ?? 1000;
  const refs = await ensureTaxonomy(db);
  const analyze = () =>
    db.query('ANALYZE products, variants, prices, reviews, search_doc, search_terms, facet_values, stock_levels');
  let inserted = 0;
  let analyzedAt = 0;
  for (let start = 0; start < opts.products; start += batch) {
    const items: SeedProduct[] = [];
    for (let i = start; i < Math.min(opts.products, start + batch); i++) items.push(seedProduct(seed, i));
    inserted += (await db.tx((tx) => insertBatch(tx, seed, items, refs))).length;
    // Statistics from the empty tables would plan the next batches as if they were still empty.
    if (inserted >= 2 * analyzedAt + batch) {
      await analyze();
      analyzedAt = inserted;
    }
    opts.onProgress?.(Math.min(opts.products, start + batch), inserted);
  }
  // Fresh statistics, so the first searches after a bulk load get good plans.
  if (inserted > analyzedAt) await analyze();
  return { products: opts.products, inserted, ms: Date.now() - started };
}
