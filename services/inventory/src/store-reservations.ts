import type { Queryable } from '@storefront/kit';
import { type Allocation, type Candidate, type Line, lockOrder, type Reservation } from './domain.ts';

/**
 * Reservation rows. Every status change is a conditional UPDATE on the current status, so two
 * callers racing (commit vs release, a retry vs the sweeper) cannot both win.
 */

/**
 * Inserts the reservation (held) and, in the same round trip, reads the stock rows that could
 * serve it. `inserted` is false when the id exists: then `candidates` is empty and the caller
 * compares the stored request. A concurrent insert of the same id waits here for the other
 * transaction, then sees its row.
 */
export async function insertReservation(
  tx: Queryable,
  r: { id: string; lines: readonly Line[]; pickupLocation: string | null; expiresAt: Date; now: Date },
): Promise<{ inserted: boolean; candidates: Candidate[] }> {
  const { rows } = await tx.query<Candidate & { inserted: boolean }>(
    `WITH ins AS (
       INSERT INTO reservations (id, status, lines, pickup_location, expires_at, created_at, updated_at)
       VALUES ($1, 'held', $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM ins) AS inserted, c.*
       FROM (SELECT 1) one
       LEFT JOIN (SELECT s.sku, s.location, s.on_hand - s.reserved AS available, l.priority
                    FROM stock s JOIN locations l ON l.code = s.location
                   WHERE s.sku = ANY($6::text[]) AND s.on_hand > s.reserved) c ON EXISTS (SELECT 1 FROM ins)`,
    [r.id, JSON.stringify(r.lines), r.pickupLocation, r.expiresAt, r.now, r.lines.map((l) => l.sku)],
  );
  return {
    inserted: rows[0]?.inserted === true,
    candidates: rows.filter((c) => c.sku !== null).map(({ inserted: _i, ...c }) => c),
  };
}

type Raw = {
  id: string;
  status: Reservation['status'];
  release_reason: Reservation['releaseReason'];
  lines: Line[];
  pickup_location: string | null;
  expires_at: Date;
  created_at: Date;
  committed_at: Date | null;
  released_at: Date | null;
  allocations: Allocation[];
};

export async function getReservation(db: Queryable, id: string): Promise<Reservation | null> {
  const { rows } = await db.query<Raw>(
    `SELECT r.id, r.status, r.release_reason, r.lines, r.pickup_location, r.expires_at, r.created_at,
            r.committed_at, r.released_at,
            coalesce((SELECT json_agg(json_build_object('sku', a.sku, 'location', a.location, 'qty', a.qty))
                        FROM reservation_allocations a WHERE a.reservation_id = r.id), '[]') AS allocations
       FROM reservations r WHERE r.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    releaseReason: r.release_reason,
    lines: r.lines,
    pickupLocation: r.pickup_location,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    committedAt: r.committed_at,
    releasedAt: r.released_at,
    allocations: lockOrder(r.allocations),
  };
}

/** held → committed, only while the hold is still live. False: not held, expired, or missing. */
export async function markCommitted(tx: Queryable, id: string, now: Date): Promise<boolean> {
  const r = await tx.query(
    `UPDATE reservations SET status = 'committed', committed_at = $2, updated_at = $2
      WHERE id = $1 AND status = 'held' AND expires_at > $2`,
    [id, now],
  );
  return r.rowCount === 1;
}

/** held → released. False: not held, or missing. */
export async function markReleased(tx: Queryable, id: string, now: Date): Promise<boolean> {
  const r = await tx.query(
    `UPDATE reservations SET status = 'released', release_reason = 'requested', released_at = $2, updated_at = $2
      WHERE id = $1 AND status = 'held'`,
    [id, now],
  );
  return r.rowCount === 1;
}

export async function allocationsOf(tx: Queryable, ids: readonly string[]): Promise<Allocation[]> {
  const { rows } = await tx.query<Allocation>(
    `SELECT sku, location, qty FROM reservation_allocations WHERE reservation_id = ANY($1::text[])`,
    [ids],
  );
  return lockOrder(rows);
}

/**
 * Releases up to `limit` holds whose TTL passed, skipping any another replica (or a commit or
 * release in flight) has locked; returns their ids. The caller gives their units back in the
 * same transaction.
 */
export async function releaseExpired(tx: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE reservations SET status = 'released', release_reason = 'expired', released_at = $1, updated_at = $1
      WHERE status = 'held'
        AND id IN (SELECT id FROM reservations WHERE status = 'held' AND expires_at <= $1
                    ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}
