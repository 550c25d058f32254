import type { Queryable } from '@storefront/kit';
import type { Saga, SagaData, SagaState, Step } from './saga-machine.ts';

/** The saga rows. Every write is conditional on the step and version the caller read. */

type Raw = { order_id: string; step: Step; state: SagaState; attempts: number; version: number; data: SagaData };
const fromRow = (r: Raw): Saga => ({
  orderId: r.order_id,
  step: r.step,
  state: r.state,
  attempts: r.attempts,
  version: r.version,
  data: r.data,
});

export async function insertSaga(
  tx: Queryable,
  s: { orderId: string; data: SagaData; deadline: Date | null; retryAt: Date; now: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO sagas (order_id, step, state, data, deadline, retry_at, updated_at)
     VALUES ($1, 'reserving', 'running', $2, $3, $4, $5)`,
    [s.orderId, JSON.stringify(s.data), s.deadline, s.retryAt, s.now],
  );
}

/** The saga under its row lock: concurrent outcomes of one order apply one after the other. */
export async function lockSaga(tx: Queryable, orderId: string): Promise<Saga | null> {
  const { rows } = await tx.query<Raw>(`SELECT * FROM sagas WHERE order_id = $1 FOR UPDATE`, [orderId]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function getSaga(db: Queryable, orderId: string) {
  const { rows } = await db.query<Raw & { deadline: Date | null; retry_at: Date | null; last_error: string | null }>(
    `SELECT * FROM sagas WHERE order_id = $1`,
    [orderId],
  );
  const r = rows[0];
  return r ? { ...fromRow(r), deadline: r.deadline, retryAt: r.retry_at, lastError: r.last_error } : null;
}

export async function updateSaga(
  tx: Queryable,
  expected: Saga,
  next: {
    step: Step;
    state: SagaState;
    data: SagaData;
    attempts: number;
    deadline: Date | null | undefined;
    retryAt: Date | null;
    lastError: string | null | undefined;
    now: Date;
  },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE sagas SET step = $4, state = $5, data = $6, attempts = $7,
            deadline = CASE WHEN $8::boolean THEN $9 ELSE deadline END, retry_at = $10,
            last_error = CASE WHEN $11::boolean THEN $12 ELSE last_error END,
            version = version + 1, updated_at = $13
      WHERE order_id = $1 AND step = $2 AND version = $3`,
    [
      expected.orderId,
      expected.step,
      expected.version,
      next.step,
      next.state,
      JSON.stringify(next.data),
      next.attempts,
      next.deadline !== undefined,
      next.deadline ?? null,
      next.retryAt,
      next.lastError !== undefined,
      next.lastError ?? null,
      next.now,
    ],
  );
  return r.rowCount === 1;
}

/** Ids of sagas due for a re-drive or past their deadline (unlocked: each is then taken with lockIfDue). */
export async function dueSagas(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ order_id: string }>(
    `SELECT order_id FROM sagas WHERE state <> 'done' AND (retry_at <= $1 OR deadline <= $1) ORDER BY retry_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.order_id);
}

/** The saga, locked, if it is still due; null when another sweeper or an outcome holds or moved it. */
export async function lockIfDue(
  tx: Queryable,
  orderId: string,
  now: Date,
): Promise<(Saga & { expired: boolean }) | null> {
  const { rows } = await tx.query<Raw & { expired: boolean }>(
    `SELECT *, (deadline IS NOT NULL AND deadline <= $2) AS expired FROM sagas
      WHERE order_id = $1 AND state <> 'done' AND (retry_at <= $2 OR deadline <= $2)
      FOR UPDATE SKIP LOCKED`,
    [orderId, now],
  );
  const r = rows[0];
  return r ? { ...fromRow(r), expired: r.expired } : null;
}

export async function countByStep(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ step: string; n: number }>(
    `SELECT step, count(*)::int AS n FROM sagas GROUP BY step`,
  );
  return Object.fromEntries(rows.map((r) => [r.step, r.n]));
}
