import type { Queryable } from '@storefront/kit';
import type { Image, Price, Product, ProductStatus, Variant } from './domain.ts';
import { translatePgError } from './store-errors.ts';

/** Products, variants and prices: the staff-edited source of truth. */

interface ProductRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  brand_id: string | null;
  category_id: string | null;
  status: ProductStatus;
  attributes: Record<string, string>;
  images: Image[];
  rating_count: number;
  rating_sum: number;
  created_at: Date;
  updated_at: Date;
  variants: Variant[];
}

/** Variants with their prices as one JSON column, so a product is one round trip. */
const variantsJson = (extra: string) => `coalesce((
  SELECT json_agg(json_build_object(
    'id', v.id, 'sku', v.sku, 'options', v.options, 'position', v.position,
    'prices', coalesce((
      SELECT json_agg(json_build_object('currency', pr.currency, 'amount', pr.amount, 'compareAt', pr.compare_at)
                      ORDER BY pr.currency)
      FROM prices pr WHERE pr.sku = v.sku), '[]'::json)${extra}
  ) ORDER BY v.position, v.sku)
  FROM variants v WHERE v.product_id = p.id), '[]'::json)`;
export const VARIANTS_JSON = variantsJson('');
/** The same, each with whether inventory last reported stock of it anywhere (store-stock.ts). */
export const VARIANTS_WITH_STOCK_JSON = variantsJson(
  `, 'inStock', EXISTS (SELECT 1 FROM stock_levels s WHERE s.sku = v.sku AND s.available > 0)`,
);

export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    brandId: r.brand_id,
    categoryId: r.category_id,
    status: r.status,
    attributes: r.attributes,
    images: r.images,
    ratingCount: r.rating_count,
    ratingSum: r.rating_sum,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    variants: r.variants,
  };
}

/** The product with its variants, any status; `lock` takes the row lock for an edit. */
export async function getProduct(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<Product | null> {
  const { rows } = await db.query<ProductRow>(
    `SELECT p.*, ${VARIANTS_JSON} AS variants FROM products p WHERE p.id = $1 ${opts.lock ? 'FOR UPDATE OF p' : ''}`,
    [id],
  );
  return rows[0] ? toProduct(rows[0]) : null;
}

export async function insertProduct(tx: Queryable, p: Product): Promise<void> {
  await tx
    .query(
      `INSERT INTO products (id, slug, name, description, brand_id, category_id, status, attributes, images,
                             created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [
        p.id,
        p.slug,
        p.name,
        p.description,
        p.brandId,
        p.categoryId,
        p.status,
        JSON.stringify(p.attributes),
        JSON.stringify(p.images),
        p.createdAt,
      ],
    )
    .catch(translatePgError);
  for (const v of p.variants) await insertVariant(tx, p.id, v, p.createdAt);
}

export async function updateProduct(tx: Queryable, p: Product): Promise<void> {
  await tx
    .query(
      `UPDATE products SET slug = $2, name = $3, description = $4, brand_id = $5, category_id = $6, status = $7,
         attributes = $8, images = $9, updated_at = $10
       WHERE id = $1`,
      [
        p.id,
        p.slug,
        p.name,
        p.description,
        p.brandId,
        p.categoryId,
        p.status,
        JSON.stringify(p.attributes),
        JSON.stringify(p.images),
        p.updatedAt,
      ],
    )
    .catch(translatePgError);
}

export async function touchProduct(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx.query('UPDATE products SET updated_at = $2 WHERE id = $1', [id, now]);
}

export async function deleteProduct(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM products WHERE id = $1', [id]);
}

export async function insertVariant(tx: Queryable, productId: string, v: Variant, now: Date): Promise<void> {
  await tx
    .query(
      `INSERT INTO variants (id, product_id, sku, options, position, created_at)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position) + 1, 0) FROM variants WHERE product_id = $2), $5)`,
      [v.id, productId, v.sku, JSON.stringify(v.options), now],
    )
    .catch(translatePgError);
  for (const price of v.prices) await upsertPrice(tx, v.sku, price, now);
}

/** The variant and the id of its product, locking nothing (the caller locks the product). */
export async function findVariant(
  db: Queryable,
  sku: string,
): Promise<{ productId: string; variantId: string } | null> {
  const { rows } = await db.query<{ product_id: string; id: string }>(
    'SELECT product_id, id FROM variants WHERE sku = $1',
    [sku],
  );
  return rows[0] ? { productId: rows[0].product_id, variantId: rows[0].id } : null;
}

export async function updateVariantOptions(tx: Queryable, sku: string, options: Record<string, string>) {
  await tx.query('UPDATE variants SET options = $2 WHERE sku = $1', [sku, JSON.stringify(options)]);
}

export async function deleteVariant(tx: Queryable, sku: string): Promise<void> {
  await tx.query('DELETE FROM variants WHERE sku = $1', [sku]);
}

/** Sets one price; returns the amount it replaced (null when the currency is new for the SKU). */
export async function upsertPrice(tx: Queryable, sku: string, price: Price, now: Date): Promise<number | null> {
  const { rows } = await tx.query<{ amount: number }>(
    'SELECT amount FROM prices WHERE sku = $1 AND currency = $2 FOR UPDATE',
    [sku, price.currency],
  );
  await tx
    .query(
      `INSERT INTO prices (sku, currency, amount, compare_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku, currency) DO UPDATE
         SET amount = excluded.amount, compare_at = excluded.compare_at, updated_at = excluded.updated_at`,
      [sku, price.currency, price.amount, price.compareAt, now],
    )
    .catch(translatePgError);
  return rows[0]?.amount ?? null;
}

export async function deletePrice(tx: Queryable, sku: string, currency: string): Promise<boolean> {
  const { rowCount } = await tx.query('DELETE FROM prices WHERE sku = $1 AND currency = $2', [sku, currency]);
  return (rowCount ?? 0) > 0;
}

export async function productIdsByBrand(db: Queryable, brandId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM products WHERE brand_id = $1', [brandId]);
  return rows.map((r) => r.id);
}

/** Products filed anywhere under the category whose path is given. */
export async function productIdsUnderPath(db: Queryable, path: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id WHERE starts_with(c.path, $1)`,
    [path],
  );
  return rows.map((r) => r.id);
}
