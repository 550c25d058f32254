import type { Queryable } from '@storefront/kit';
import type { Product } from './domain.ts';
import type { StockLevel } from './stock.ts';

/** stock_levels (migration 003): the last level inventory reported per SKU and location. */

/**
 * Takes the SKUs' transaction locks, in one order. The stock consumer holds one while it decides
 * whether a SKU flipped; staff writes that create variants take theirs first (before the product's
 * row lock), so a new variant and its first stock event never both miss each other.
 */
export async function lockSkus(tx: Queryable, skus: readonly string[]): Promise<void> {
  if (skus.length === 0) return;
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(8083, k)) FROM (
       SELECT DISTINCT hashtext(current_schema() || ':' || s) AS k FROM unnest($1::text[]) s ORDER BY 1) keys`,
    [skus],
  );
}

export async function skuInStock(db: Queryable, sku: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM stock_levels WHERE sku = $1 AND available > 0) AS ok',
    [sku],
  );
  return rows[0]?.ok ?? false;
}

/** Writes the level unless a newer one is already there; says whether it was written. */
export async function upsertStockLevel(tx: Queryable, l: StockLevel, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO stock_levels AS s (sku, location, available, version, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sku, location) DO UPDATE
       SET available = excluded.available, version = excluded.version, updated_at = excluded.updated_at
       WHERE s.version < excluded.version`,
    [l.sku, l.location, l.available, l.version, now],
  );
  return (rowCount ?? 0) > 0;
}

/** Levels that do not exist yet (a demo seed); returns the SKUs that got at least one. */
export async function insertStockLevels(tx: Queryable, levels: readonly StockLevel[], now: Date): Promise<Set<string>> {
  if (levels.length === 0) return new Set();
  const { rows } = await tx.query<{ sku: string }>(
    `INSERT INTO stock_levels (sku, location, available, version, updated_at)
     SELECT *, $5::timestamptz FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])
     ON CONFLICT DO NOTHING RETURNING sku`,
    [
      levels.map((l) => l.sku),
      levels.map((l) => l.location),
      levels.map((l) => l.available),
      levels.map((l) => l.version),
      now,
    ],
  );
  return new Set(rows.map((r) => r.sku));
}

/** The product a SKU belongs to, if the catalog has it. */
export async function productOfSku(db: Queryable, sku: string): Promise<Pick<Product, 'id' | 'slug' | 'name'> | null> {
  const { rows } = await db.query<{ id: string; slug: string; name: string }>(
    'SELECT p.id, p.slug, p.name FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = $1',
    [sku],
  );
  return rows[0] ?? null;
}
