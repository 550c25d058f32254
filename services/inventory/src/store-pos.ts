import type { Queryable } from '@storefront/kit';
import type { PosLine, PosOutcome } from './domain-pos.ts';

/** POS batches and lines, recorded so a retried batch or a re-sent line never counts twice. */

/** True when this transaction claimed the batch; otherwise the stored one (or a concurrent claimant's, once it commits). */
export async function claimBatch(
  tx: Queryable,
  b: { location: string; batchId: string; hash: string; now: Date },
): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO pos_batches (location, batch_id, request_hash, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (location, batch_id) DO NOTHING`,
    [b.location, b.batchId, b.hash, b.now],
  );
  return r.rowCount === 1;
}

export async function getBatch<R>(
  db: Queryable,
  location: string,
  batchId: string,
): Promise<{ hash: string; result: R | null } | null> {
  const { rows } = await db.query<{ hash: string; result: R | null }>(
    `SELECT request_hash AS hash, result FROM pos_batches WHERE location = $1 AND batch_id = $2`,
    [location, batchId],
  );
  return rows[0] ?? null;
}

export async function saveBatchResult(tx: Queryable, location: string, batchId: string, result: unknown) {
  await tx.query(`UPDATE pos_batches SET result = $3 WHERE location = $1 AND batch_id = $2`, [
    location,
    batchId,
    JSON.stringify(result),
  ]);
}

/** Line ids of this location already recorded by earlier batches. */
export async function knownLines(tx: Queryable, location: string, lineIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ line_id: string }>(
    `SELECT line_id FROM pos_lines WHERE location = $1 AND line_id = ANY($2::text[])`,
    [location, lineIds],
  );
  return new Set(rows.map((r) => r.line_id));
}

/** False when the line id is already recorded (another batch carrying it committed first). */
export async function recordLine(
  tx: Queryable,
  location: string,
  batchId: string,
  line: PosLine,
  outcome: PosOutcome,
): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO pos_lines (location, line_id, batch_id, kind, sku, qty, at, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (location, line_id) DO NOTHING`,
    [
      location,
      line.lineId,
      batchId,
      line.type,
      line.sku,
      line.type === 'sale' ? line.qty : line.onHand,
      line.at,
      outcome,
    ],
  );
  return r.rowCount === 1;
}

/** Units of applied POS sales of a row rung up strictly after `at`. */
export async function salesAfter(tx: Queryable, location: string, sku: string, at: Date): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT coalesce(sum(qty), 0)::int AS n FROM pos_lines
      WHERE location = $1 AND sku = $2 AND kind = 'sale' AND outcome = 'applied' AND at > $3`,
    [location, sku, at],
  );
  return rows[0]?.n ?? 0;
}
