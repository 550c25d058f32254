import type { Queryable } from '@storefront/kit';
import type { Location } from './domain.ts';

const COLS = `code, name, kind, address, pickup_enabled AS "pickupEnabled", priority`;

export async function listLocations(db: Queryable): Promise<Location[]> {
  const { rows } = await db.query<Location>(`SELECT ${COLS} FROM locations ORDER BY priority, code`);
  return rows;
}

export async function getLocation(db: Queryable, code: string): Promise<Location | null> {
  const { rows } = await db.query<Location>(`SELECT ${COLS} FROM locations WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

/** False when the code is taken. */
export async function insertLocation(tx: Queryable, l: Location, now: Date): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO locations (code, name, kind, address, pickup_enabled, priority, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (code) DO NOTHING`,
    [l.code, l.name, l.kind, JSON.stringify(l.address), l.pickupEnabled, l.priority, now],
  );
  return r.rowCount === 1;
}

export async function updateLocation(tx: Queryable, l: Location, now: Date): Promise<void> {
  await tx.query(
    `UPDATE locations SET name = $2, kind = $3, address = $4, pickup_enabled = $5, priority = $6, updated_at = $7
      WHERE code = $1`,
    [l.code, l.name, l.kind, JSON.stringify(l.address), l.pickupEnabled, l.priority, now],
  );
}

export async function lockLocation(tx: Queryable, code: string): Promise<Location | null> {
  const { rows } = await tx.query<Location>(`SELECT ${COLS} FROM locations WHERE code = $1 FOR UPDATE`, [code]);
  return rows[0] ?? null;
}
