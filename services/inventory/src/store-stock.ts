import type { Queryable } from '@storefront/kit';
import { MAX_ON_HAND } from './domain.ts';
import type { RowChange } from './domain-events.ts';

/**
 * SQL over stock rows. Every write that depends on the current level is either a conditional
 * UPDATE (the condition is re-checked by Postgres on the newest row version) or runs on a row
 * locked with FOR UPDATE — never read-then-write — and the table's CHECKs back both up.
 */

export interface StockRow {
  readonly sku: string;
  readonly location: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly lowThreshold: number;
  readonly lastCountedAt: Date | null;
}

type Raw = { sku: string; location: string; on_hand: number; reserved: number; low_threshold: number };
const COLS = 'sku, location, on_hand, reserved, low_threshold, last_counted_at';
const toRow = (r: Raw & { last_counted_at: Date | null }): StockRow => ({
  sku: r.sku,
  location: r.location,
  onHand: r.on_hand,
  reserved: r.reserved,
  lowThreshold: r.low_threshold,
  lastCountedAt: r.last_counted_at,
});

/**
 * The reservation write from reliability.md: takes `qty` only if that many are still available
 * in the newest version of the row (Postgres re-checks the WHERE after waiting for a concurrent
 * writer). Records the allocation in the same statement. Null when the units are gone.
 */
export async function reserveRow(
  tx: Queryable,
  a: { reservationId: string; sku: string; location: string; qty: number },
  now: Date,
) {
  return change(
    tx,
    `WITH upd AS (
       UPDATE stock SET reserved = reserved + $3, updated_at = $4
        WHERE sku = $1 AND location = $2 AND on_hand - reserved >= $3
        RETURNING sku, location, on_hand, reserved, low_threshold),
     alloc AS (
       INSERT INTO reservation_allocations (reservation_id, sku, location, qty) SELECT $5, sku, location, $3 FROM upd)
     SELECT * FROM upd`,
    [a.sku, a.location, a.qty, now, a.reservationId],
    { onHand: 0, reserved: -a.qty },
  );
}

/** Gives back `qty` reserved units (release or expiry). Null would mean the reservation's units are gone: a bug. */
export async function unreserveRow(tx: Queryable, sku: string, location: string, qty: number, now: Date) {
  return change(
    tx,
    `UPDATE stock SET reserved = reserved - $3, updated_at = $4
      WHERE sku = $1 AND location = $2 AND reserved >= $3
      RETURNING sku, location, on_hand, reserved, low_threshold`,
    [sku, location, qty, now],
    { onHand: 0, reserved: qty },
  );
}

/** The sale: reserved units leave the building (on_hand and reserved both drop). */
export async function commitRow(tx: Queryable, sku: string, location: string, qty: number, now: Date) {
  return change(
    tx,
    `UPDATE stock SET on_hand = on_hand - $3, reserved = reserved - $3, updated_at = $4
      WHERE sku = $1 AND location = $2 AND reserved >= $3
      RETURNING sku, location, on_hand, reserved, low_threshold`,
    [sku, location, qty, now],
    { onHand: qty, reserved: qty },
  );
}

/** A transfer's source: `qty` on-hand units, only if that many are available (not reserved). */
export async function takeAvailable(tx: Queryable, sku: string, location: string, qty: number, now: Date) {
  return change(
    tx,
    `UPDATE stock SET on_hand = on_hand - $3, updated_at = $4
      WHERE sku = $1 AND location = $2 AND on_hand - reserved >= $3
      RETURNING sku, location, on_hand, reserved, low_threshold`,
    [sku, location, qty, now],
    { onHand: qty, reserved: 0 },
  );
}

/** A transfer's destination: `qty` more on hand, only if the row then stays within MAX_ON_HAND. Null otherwise. */
export async function addOnHand(tx: Queryable, sku: string, location: string, qty: number, now: Date) {
  return change(
    tx,
    `UPDATE stock SET on_hand = on_hand + $3, updated_at = $4
      WHERE sku = $1 AND location = $2 AND on_hand <= $5::int - $3::int
      RETURNING sku, location, on_hand, reserved, low_threshold`,
    [sku, location, qty, now, MAX_ON_HAND],
    { onHand: -qty, reserved: 0 },
  );
}

async function change(
  tx: Queryable,
  sql: string,
  params: unknown[],
  undo: { onHand: number; reserved: number },
): Promise<RowChange | null> {
  const { rows } = await tx.query<Raw>(sql, params);
  const r = rows[0];
  if (!r) return null;
  return {
    sku: r.sku,
    location: r.location,
    before: { onHand: r.on_hand + undo.onHand, reserved: r.reserved + undo.reserved },
    after: { onHand: r.on_hand, reserved: r.reserved },
    lowThreshold: r.low_threshold,
  };
}

/** Creates the row at zero if missing. Call before locking anything else in the transaction. */
export async function ensureRow(tx: Queryable, sku: string, location: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO stock (sku, location, updated_at) VALUES ($1, $2, $3) ON CONFLICT (sku, location) DO NOTHING`,
    [sku, location, now],
  );
}

export async function lockRow(tx: Queryable, sku: string, location: string): Promise<StockRow | null> {
  const { rows } = await tx.query<Raw & { last_counted_at: Date | null }>(
    `SELECT ${COLS} FROM stock WHERE sku = $1 AND location = $2 FOR UPDATE`,
    [sku, location],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** Writes a level decided under the row's lock (lockRow in the same transaction). */
export async function setOnHand(
  tx: Queryable,
  row: { sku: string; location: string },
  onHand: number,
  now: Date,
  lastCountedAt?: Date | null,
): Promise<void> {
  await tx.query(
    `UPDATE stock SET on_hand = $3, updated_at = $4, last_counted_at = coalesce($5, last_counted_at)
      WHERE sku = $1 AND location = $2`,
    [row.sku, row.location, onHand, now, lastCountedAt ?? null],
  );
}

export async function setThreshold(
  tx: Queryable,
  sku: string,
  location: string,
  threshold: number,
  now: Date,
): Promise<StockRow | null> {
  const { rows } = await tx.query<Raw & { last_counted_at: Date | null }>(
    `UPDATE stock SET low_threshold = $3, updated_at = $4 WHERE sku = $1 AND location = $2 RETURNING ${COLS}`,
    [sku, location, threshold, now],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/**
 * The version stamped on stock.changed.v1: the database clock in microseconds, read after the
 * transaction has locked its rows, so a later change of a row always reads a later clock.
 */
export async function changeVersion(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ v: string }>(
    `SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS v`,
  );
  return Number(rows[0]?.v);
}

/**
 * Takes each SKU's transaction lock, then reads its total available. Every writer takes these
 * after its stock rows and in one order (by the lock key), so none deadlock; a writer that needs
 * the total waits for the previous one to commit and then sees its change.
 */
export async function lockedTotals(tx: Queryable, skus: readonly string[]): Promise<Map<string, number>> {
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(8084, k)) FROM (
       SELECT DISTINCT hashtext(current_schema() || ':' || s) AS k FROM unnest($1::text[]) s ORDER BY 1) keys`,
    [skus],
  );
  const { rows } = await tx.query<{ sku: string; total: number }>(
    `SELECT sku, sum(on_hand - reserved)::bigint AS total FROM stock WHERE sku = ANY($1::text[]) GROUP BY sku`,
    [skus],
  );
  return new Map(rows.map((r) => [r.sku, r.total]));
}

export interface Movement {
  readonly sku: string;
  readonly location: string;
  readonly delta: number;
  readonly reason: string;
  readonly ref?: string | null;
  readonly actor?: string | null;
  readonly note?: string | null;
}

/** The ledger of on_hand changes, one multi-row insert per transaction. */
export async function insertMovements(tx: Queryable, moves: readonly Movement[], at: Date): Promise<void> {
  const real = moves.filter((m) => m.delta !== 0);
  if (!real.length) return;
  await tx.query(
    `INSERT INTO movements (sku, location, delta, reason, ref, actor, note, at)
     SELECT *, $8::timestamptz FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [
      real.map((m) => m.sku),
      real.map((m) => m.location),
      real.map((m) => m.delta),
      real.map((m) => m.reason),
      real.map((m) => m.ref ?? null),
      real.map((m) => m.actor ?? null),
      real.map((m) => m.note ?? null),
      at,
    ],
  );
}
