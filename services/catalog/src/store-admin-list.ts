import type { Queryable } from '@storefront/kit';
import type { ProductStatus } from './domain.ts';

/** The staff product list (any status) and the per-status counts of the console's overview. */

export interface AdminProductRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: ProductStatus;
  readonly updatedAt: Date;
}

export interface AdminListFilter {
  readonly status: ProductStatus | null;
  /** ILIKE patterns (domain-admin.ts staffSearchPatterns); each must match name, slug or a SKU. */
  readonly patterns: readonly string[];
  /** A category and everything under it. */
  readonly categoryId: string | null;
  readonly brandId: string | null;
  /** Keyset: ids below this one (ids are time-ordered, so newest first). */
  readonly after: string | null;
  readonly limit: number;
}

/**
 * One page, newest first. Each search word is a set of product ids read through the trigram
 * indexes of migration 004 (name, slug, SKU); the sets are intersected, then the usual filters
 * and the keyset apply. Only the listed columns are read (no variants).
 */
export async function adminListProducts(db: Queryable, f: AdminListFilter): Promise<AdminProductRow[]> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.status !== null) where.push(`p.status = ${p(f.status)}`);
  if (f.brandId !== null) where.push(`p.brand_id = ${p(f.brandId)}::uuid`);
  if (f.categoryId !== null) {
    where.push(`p.category_id IN (SELECT d.id FROM categories c JOIN categories d ON starts_with(d.path, c.path)
                                   WHERE c.id = ${p(f.categoryId)}::uuid)`);
  }
  if (f.after !== null) where.push(`p.id < ${p(f.after)}::uuid`);
  if (f.patterns.length > 0) {
    const sets = f.patterns.map((pattern) => {
      const w = p(pattern);
      return `(SELECT id FROM products WHERE name ILIKE ${w} OR slug ILIKE ${w}
               UNION SELECT product_id FROM variants WHERE sku ILIKE ${w})`;
    });
    where.push(`p.id IN (${sets.join(' INTERSECT ')})`);
  }
  const { rows } = await db.query<{ id: string; slug: string; name: string; status: ProductStatus; updated_at: Date }>(
    `SELECT p.id, p.slug, p.name, p.status, p.updated_at FROM products p
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.id DESC LIMIT ${p(f.limit)}`,
    params,
  );
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, status: r.status, updatedAt: r.updated_at }));
}

/** How many products there are in each status (every status present, 0 when none). */
export async function productCounts(db: Queryable): Promise<Record<ProductStatus, number>> {
  const { rows } = await db.query<{ status: ProductStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM products GROUP BY status',
  );
  const out: Record<ProductStatus, number> = { draft: 0, published: 0, archived: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
