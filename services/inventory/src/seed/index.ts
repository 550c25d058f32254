import { seedProduct } from '@storefront/catalog/seed';
import type { Db } from '@storefront/kit';
import { SEED_LOCATIONS, type SeedLevel, seedLevels } from './generate.ts';

/**
 * Demo inventory. The launcher calls `seedInventory(db, { products, seed })` after migrations, as
 * inventory's role. Inventory cannot read the catalog's tables, so it derives the same SKUs from
 * the catalog's exported generator (`@storefront/catalog/seed`); a caller that knows its SKUs
 * passes `skus` instead. Idempotent: existing locations and stock rows are never touched, so a
 * second run (or a run after sales) changes nothing. No events: a bulk load, not stock movements.
 */

export { SEED_LOCATIONS, seedLevels } from './generate.ts';

export interface SeedInventoryOptions {
  /** How many catalog products to stock (their SKUs come from the catalog's generator). */
  readonly products: number;
  readonly seed?: number;
  /** Stock exactly these SKUs instead of deriving them from `products`. */
  readonly skus?: readonly string[];
  /** Rows per INSERT (default 5000). */
  readonly batch?: number;
}

export interface SeedInventoryResult {
  readonly locations: number;
  readonly skus: number;
  readonly rows: number;
  readonly inserted: number;
  readonly ms: number;
}

/** The SKUs of the catalog's demo products 0..products-1 (the catalog seeds the same ones). */
export function catalogSkus(products: number, seed: number): string[] {
  const skus: string[] = [];
  for (let i = 0; i < products; i++) for (const v of seedProduct(seed, i).variants) skus.push(v.sku);
  return skus;
}

export async function seedInventory(db: Db, opts: SeedInventoryOptions): Promise<SeedInventoryResult> {
  const started = Date.now();
  const seed = opts.seed ?? 42;
  const skus = [...new Set(opts.skus ?? catalogSkus(opts.products, seed))];
  const epoch = new Date(Date.UTC(2025, 0, 1));
  let locations = 0;
  for (const l of SEED_LOCATIONS) {
    const r = await db.query(
      `INSERT INTO locations (code, name, kind, address, pickup_enabled, priority, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (code) DO NOTHING`,
      [l.code, l.name, l.kind, JSON.stringify(l.address), l.pickupEnabled, l.priority, epoch],
    );
    locations += r.rowCount ?? 0;
  }
  const levels = skus.flatMap((sku) => seedLevels(seed, sku));
  const size = opts.batch ?? 5000;
  let inserted = 0;
  for (let i = 0; i < levels.length; i += size) inserted += await insertLevels(db, levels.slice(i, i + size), epoch);
  return { locations, skus: skus.length, rows: levels.length, inserted, ms: Date.now() - started };
}

async function insertLevels(db: Db, rows: readonly SeedLevel[], at: Date): Promise<number> {
  const r = await db.query(
    `INSERT INTO stock (sku, location, on_hand, updated_at)
     SELECT *, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::int[])
     ON CONFLICT (sku, location) DO NOTHING`,
    [rows.map((l) => l.sku), rows.map((l) => l.location), rows.map((l) => l.onHand), at],
  );
  return r.rowCount ?? 0;
}
