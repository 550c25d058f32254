import type { Queryable } from '@storefront/kit';
import { type LocationKind, lockOrder } from './domain.ts';
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

export async function listStock(
  db: Queryable,
  q: { location: string | null; sku: string | null; after: { sku: string; location: string } | null; limit: number },
): Promise<StockRow[]> {
  const { rows } = await db.query<StockRow>(
    `SELECT sku, location, on_hand AS "onHand", reserved, low_threshold AS "lowThreshold",
            last_counted_at AS "lastCountedAt"
       FROM stock
      WHERE ($1::text IS NULL OR location = $1) AND ($2::text IS NULL OR sku = $2)
        AND ($3::text IS NULL OR (sku COLLATE "C", location COLLATE "C") > ($3 COLLATE "C", $4 COLLATE "C"))
      ORDER BY sku COLLATE "C", location COLLATE "C"
      LIMIT $5`,
    [q.location, q.sku, q.after?.sku ?? null, q.after?.location ?? null, q.limit],
  );
  return lockOrder(rows);
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
