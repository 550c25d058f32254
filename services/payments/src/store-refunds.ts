import type { Queryable } from '@storefront/kit';
import type { Refund, RefundState } from './domain.ts';

/** SQL for refunds. A refund row is written under the payment's row lock, so budgets add up. */

interface Row {
  id: string;
  payment_id: string;
  amount: number;
  currency: string;
  state: RefundState;
  provider_ref: string | null;
  reason: string;
  failure: string | null;
  created_at: Date;
}

const COLUMNS = 'id, payment_id, amount, currency, state, provider_ref, reason, failure, created_at';

function toRefund(r: Row): Refund {
  return {
    id: r.id,
    paymentId: r.payment_id,
    amount: { amount: r.amount, currency: r.currency },
    state: r.state,
    providerRef: r.provider_ref,
    reason: r.reason,
    failure: r.failure,
    createdAt: r.created_at,
  };
}

export async function lockRefund(tx: Queryable, id: string): Promise<Refund | undefined> {
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM refunds WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] && toRefund(rows[0]);
}

export async function refundsOf(q: Queryable, paymentIds: readonly string[]): Promise<Refund[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM refunds WHERE payment_id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [paymentIds],
  );
  return rows.map(toRefund);
}

export async function pendingRefundTotal(tx: Queryable, paymentId: string): Promise<number> {
  const { rows } = await tx.query<{ total: number }>(
    `SELECT COALESCE(sum(amount), 0)::bigint AS total FROM refunds WHERE payment_id = $1 AND state = 'pending'`,
    [paymentId],
  );
  return Number(rows[0]?.total ?? 0);
}

export async function insertRefund(
  tx: Queryable,
  r: {
    id: string;
    paymentId: string;
    amount: { amount: number; currency: string };
    state: RefundState;
    providerRef: string | null;
    reason: string;
    failure: string | null;
    now: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO refunds (id, payment_id, amount, currency, state, provider_ref, reason, failure, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    [r.id, r.paymentId, r.amount.amount, r.amount.currency, r.state, r.providerRef, r.reason, r.failure, r.now],
  );
}

/** pending → succeeded | failed; false when it was no longer pending (a duplicate webhook, a race). */
export async function settleRefund(
  tx: Queryable,
  id: string,
  to: 'succeeded' | 'failed',
  failure: string | null,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE refunds SET state = $2, failure = $3, updated_at = $4 WHERE id = $1 AND state = 'pending'`,
    [id, to, failure, now],
  );
  return rowCount === 1;
}
