import type { Queryable } from '@storefront/kit';

/** Staff refund rows, and the order's pending refund total (staff refunds and returns being refunded). */
export const STAFF_REFUND_STATUSES = ['requested', 'refunded', 'failed'] as const;
export type StaffRefundStatus = (typeof STAFF_REFUND_STATUSES)[number];

export interface StaffRefund {
  readonly id: string;
  readonly orderId: string;
  readonly idemKey: string;
  readonly requestHash: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  readonly status: StaffRefundStatus;
  readonly failure: string | null;
  readonly requestedBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

type Raw = {
  id: string;
  order_id: string;
  idem_key: string;
  request_hash: string;
  amount: string | number;
  currency: string;
  reason: string;
  status: StaffRefundStatus;
  failure: string | null;
  requested_by: string;
  created_at: Date;
  updated_at: Date;
};

const fromRow = (r: Raw): StaffRefund => ({
  id: r.id,
  orderId: r.order_id,
  idemKey: r.idem_key,
  requestHash: r.request_hash,
  amount: Number(r.amount),
  currency: r.currency,
  reason: r.reason,
  status: r.status,
  failure: r.failure,
  requestedBy: r.requested_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertStaffRefund(
  tx: Queryable,
  r: Omit<StaffRefund, 'status' | 'failure' | 'createdAt' | 'updatedAt'> & { now: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO staff_refunds (id, order_id, idem_key, request_hash, amount, currency, reason, status, requested_by,
            created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9, $9)`,
    [r.id, r.orderId, r.idemKey, r.requestHash, r.amount, r.currency, r.reason, r.requestedBy, r.now],
  );
}

export async function staffRefundByKey(tx: Queryable, orderId: string, key: string): Promise<StaffRefund | null> {
  const { rows } = await tx.query<Raw>(`SELECT * FROM staff_refunds WHERE order_id = $1 AND idem_key = $2`, [
    orderId,
    key,
  ]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function lockStaffRefund(tx: Queryable, id: string): Promise<StaffRefund | null> {
  const { rows } = await tx.query<Raw>(`SELECT * FROM staff_refunds WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function staffRefundsOf(db: Queryable, orderId: string): Promise<StaffRefund[]> {
  const { rows } = await db.query<Raw>(`SELECT * FROM staff_refunds WHERE order_id = $1 ORDER BY created_at, id`, [
    orderId,
  ]);
  return rows.map(fromRow);
}

/** requested → refunded | failed; false when it had settled already (a duplicate outcome). */
export async function settleStaffRefund(
  tx: Queryable,
  id: string,
  to: 'refunded' | 'failed',
  failure: string | null,
  now: Date,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE staff_refunds SET status = $2, failure = $3, updated_at = $4 WHERE id = $1 AND status = 'requested'`,
    [id, to, failure, now],
  );
  return r.rowCount === 1;
}

/** Money asked back from payments for this order and not yet settled: staff refunds and returns being refunded. */
export async function pendingRefunds(tx: Queryable, orderId: string): Promise<number> {
  const { rows } = await tx.query<{ total: string }>(
    `SELECT (SELECT coalesce(sum(amount), 0) FROM staff_refunds WHERE order_id = $1 AND status = 'requested')
          + (SELECT coalesce(sum(refund_amount), 0) FROM returns WHERE order_id = $1 AND status = 'refunding')
            AS total`,
    [orderId],
  );
  return Number(rows[0]?.total ?? 0);
}
