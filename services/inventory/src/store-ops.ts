import type { Queryable } from '@storefront/kit';

/**
 * Client-keyed staff operations (adjustments, transfers). The id is claimed first in the
 * operation's transaction: a concurrent retry waits on it, and "done" and "recorded as done"
 * commit together. A failed operation rolls its claim back, so it can be retried.
 */

export async function claimOperation(
  tx: Queryable,
  op: { id: string; kind: string; request: unknown; now: Date },
): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO operations (id, kind, request, result, created_at) VALUES ($1, $2, $3, 'null', $4)
     ON CONFLICT (id) DO NOTHING`,
    [op.id, op.kind, JSON.stringify(op.request), op.now],
  );
  return r.rowCount === 1;
}

export async function saveOperationResult(tx: Queryable, id: string, result: unknown): Promise<void> {
  await tx.query(`UPDATE operations SET result = $2 WHERE id = $1`, [id, JSON.stringify(result)]);
}

export async function findOperation<R>(
  db: Queryable,
  id: string,
): Promise<{ kind: string; request: unknown; result: R } | null> {
  const { rows } = await db.query<{ kind: string; request: unknown; result: R }>(
    `SELECT kind, request, result FROM operations WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
