import type { Queryable } from '@storefront/kit';
import type { LocationKind } from './domain.ts';
import type { StockRow } from './store-stock.ts';

/** Reads for shoppers (availability) and staff (stock rows, the movement ledger). */

export interface LocationAvailability {
  readonly code: string;
  readonly name: string;
  readonly kind: LocationKind;
  readonly pickupEnabled: boolean;
  readonly available: number;
}

export interface SkuAvailability {
  readonly sku: string;
  readonly available: number;
  readonly locations: LocationAvailability[];
}

/** Every requested SKU, in request order; one that is stocked nowhere has 0 and no locations. */
export async function availability(db: Queryable, skus: readonly string[]): Promise<SkuAvailability[]> {
  const { rows } = await db.query<{ sku: string } & LocationAvailability>(
    `SELECT s.sku, l.code, l.name, l.kind, l.pickup_enabled AS "pickupEnabled", s.on_hand - s.reserved AS available
       FROM stock s JOIN locations l ON l.code = s.location
      WHERE s.sku = ANY($1::text[])
      ORDER BY l.priority, l.code`,
    [skus],
  );
  return skus.map((sku) => {
    const locations = rows.filter((r) => r.sku === sku).map(({ sku: _sku, ...loc }) => loc);
    return { sku, available: locations.reduce((s, l) => s + l.available, 0), locations };
  });
}

export interface StockQuery {
  readonly location: string | null;
  /** Exactly this SKU. */
  readonly sku: string | null;
  /** SKUs starting with this, case-insensitively (letters, digits, `.`, `-`, `_`: `_` is matched literally). */
  readonly prefix?: string | null;
  /** Only rows at or below their low-stock threshold (available ≤ lowThreshold, out of stock included). */
  readonly low?: boolean;
  /** The last row of the previous page (its `sku@location` cursor). */
  readonly after: { sku: string; location: string } | null;
  readonly limit: number;
}

/** `_`, `%` and `\` are LIKE wildcards or its escape: a prefix matches them literally. */
export const likePrefix = (prefix: string): string => `${prefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Stock rows in one order for every filter: lower(sku), sku, location, byte-wise. That is the order of
 * the `stock_search` index (migration 002), so a prefix is a range scan, the cursor a row comparison
 * on the same columns, and a page an index walk that stops at LIMIT.
 */
export async function listStock(db: Queryable, q: StockQuery): Promise<StockRow[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT sku, location, on_hand AS "onHand", reserved, low_threshold AS "lowThreshold",
            last_counted_at AS "lastCountedAt"
       FROM stock
      WHERE ($1::text IS NULL OR location = $1) AND ($2::text IS NULL OR sku = $2)
        AND ($3::text IS NULL OR lower(sku) COLLATE "C" LIKE $3)
        AND (NOT $4::boolean OR on_hand - reserved <= low_threshold)
        AND ($5::text IS NULL
             OR (lower(sku) COLLATE "C", sku COLLATE "C", location COLLATE "C")
              > (lower($5) COLLATE "C", $5 COLLATE "C", $6 COLLATE "C"))
      ORDER BY lower(sku) COLLATE "C", sku COLLATE "C", location COLLATE "C"
      LIMIT $7`,
    [
      q.location,
      q.sku,
      q.prefix ? likePrefix(q.prefix) : null,
      q.low ?? false,
      q.after?.sku ?? null,
      q.after?.location ?? null,
      q.limit,
    ],
  );
  return rows;
}

/** One row as it is now (no lock), or undefined. */
export async function readRow(db: Queryable, sku: string, location: string): Promise<StockRow | undefined> {
  return (await listStock(db, { location, sku, after: null, limit: 1 }))[0];
}

export interface MovementRow {
  readonly id: number;
  readonly sku: string;
  readonly location: string;
  readonly delta: number;
  readonly reason: string;
  readonly ref: string | null;
  readonly actor: string | null;
  readonly note: string | null;
  readonly at: Date;
}

/** Newest first, keyset by id. */
export async function listMovements(
  db: Queryable,
  q: { sku: string; location: string | null; before: number | null; limit: number },
): Promise<MovementRow[]> {
  const { rows } = await db.query<MovementRow>(
    `SELECT id, sku, location, delta, reason, ref, actor, note, at FROM movements
      WHERE sku = $1 AND ($2::text IS NULL OR location = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [q.sku, q.location, q.before, q.limit],
  );
  return rows;
}
