import type { Queryable } from '@storefront/kit';
import type { ReturnLine } from './returns-rules.ts';

/** Return rows (RMA). Status changes are conditional on the status the caller expects. */
export const RETURN_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'label_created',
  'received',
  'refunding',
  'refunded',
  'refund_failed',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export interface Return {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string | null;
  readonly status: ReturnStatus;
  readonly lines: readonly ReturnLine[];
  readonly toLocation: string | null;
  readonly label: { carrier: string; trackingNumber: string; labelUrl: string } | null;
  readonly refundId: string | null;
  readonly refundAmount: number | null;
  readonly refundShipping: boolean;
  readonly restockLocation: string | null;
  readonly restocked: boolean;
  /** The customer's note. */
  readonly note: string | null;
  /** Why staff rejected it. */
  readonly rejection: string | null;
  readonly decidedBy: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

type Raw = Record<string, unknown>;
const fromRow = (r: Raw): Return => ({
  id: r.id as string,
  orderId: r.order_id as string,
  customerId: r.customer_id as string | null,
  status: r.status as ReturnStatus,
  lines: r.lines as ReturnLine[],
  toLocation: r.to_location as string | null,
  label: r.label as Return['label'],
  refundId: r.refund_id as string | null,
  refundAmount: r.refund_amount === null ? null : Number(r.refund_amount),
  refundShipping: r.refund_shipping as boolean,
  restockLocation: r.restock_location as string | null,
  restocked: r.restocked as boolean,
  note: r.note as string | null,
  rejection: (r.rejection ?? null) as string | null,
  decidedBy: (r.decided_by ?? null) as string | null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

export async function insertReturn(
  tx: Queryable,
  r: {
    id: string;
    orderId: string;
    customerId: string | null;
    lines: readonly ReturnLine[];
    note: string | null;
    now: Date;
  },
) {
  await tx.query(
    `INSERT INTO returns (id, order_id, customer_id, status, lines, note, created_at, updated_at) VALUES ($1, $2, $3, 'requested', $4, $5, $6, $6)`,
    [r.id, r.orderId, r.customerId, JSON.stringify(r.lines), r.note, r.now],
  );
}

export async function getReturn(db: Queryable, id: string, lock = false): Promise<Return | null> {
  const { rows } = await db.query<Raw>(`SELECT * FROM returns WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function returnByRefund(tx: Queryable, refundId: string): Promise<Return | null> {
  const { rows } = await tx.query<Raw>(`SELECT * FROM returns WHERE refund_id = $1 FOR UPDATE`, [refundId]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function returnsOf(db: Queryable, orderId: string): Promise<Return[]> {
  const { rows } = await db.query<Raw>(`SELECT * FROM returns WHERE order_id = $1 ORDER BY created_at`, [orderId]);
  return rows.map(fromRow);
}

/** A return as staff see it: with its order's number and currency. */
export interface StaffReturn extends Return {
  readonly orderNumber: string;
  readonly currency: string;
}
const staffFromRow = (r: Raw): StaffReturn => ({
  ...fromRow(r),
  orderNumber: r.order_number as string,
  currency: r.currency as string,
});
const STAFF_SELECT = `SELECT r.*, o.number AS order_number, o.currency FROM returns r JOIN orders o ON o.id = r.order_id`;

export async function staffReturn(db: Queryable, id: string): Promise<StaffReturn | null> {
  const { rows } = await db.query<Raw>(`${STAFF_SELECT} WHERE r.id = $1`, [id]);
  return rows[0] ? staffFromRow(rows[0]) : null;
}

export async function listReturns(
  db: Queryable,
  q: { status: string | null; before: string | null; limit: number },
): Promise<StaffReturn[]> {
  const { rows } = await db.query<Raw>(
    `${STAFF_SELECT} WHERE ($1::text IS NULL OR r.status = $1) AND ($2::uuid IS NULL OR r.id < $2) ORDER BY r.id DESC LIMIT $3`,
    [q.status, q.before, q.limit],
  );
  return rows.map(staffFromRow);
}

/** Orders and returns counted by status, in one query (index-only scans of the by-status indexes). */
export async function countsByStatus(
  db: Queryable,
): Promise<{ orders: Record<string, number>; returns: Record<string, number> }> {
  const { rows } = await db.query<{ kind: 'orders' | 'returns'; status: string; n: string }>(
    `SELECT 'orders' AS kind, status, count(*) AS n FROM orders GROUP BY status
     UNION ALL
     SELECT 'returns' AS kind, status, count(*) AS n FROM returns GROUP BY status`,
  );
  const out = { orders: {} as Record<string, number>, returns: {} as Record<string, number> };
  for (const r of rows) out[r.kind][r.status] = Number(r.n);
  return out;
}

/** Moves a return from one of `from` to `to`, setting the given columns; false if it was elsewhere. */
export async function moveReturn(
  tx: Queryable,
  id: string,
  from: readonly ReturnStatus[],
  to: ReturnStatus,
  set: Record<string, unknown>,
  now: Date,
): Promise<boolean> {
  const cols = Object.keys(set);
  const assignments = cols.map((c, i) => `${c} = $${i + 5}`).join(', ');
  const r = await tx.query(
    `UPDATE returns SET status = $3, updated_at = $4${cols.length ? `, ${assignments}` : ''} WHERE id = $1 AND status = ANY($2)`,
    [
      id,
      from,
      to,
      now,
      ...cols.map((c) => {
        const v = set[c];
        return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      }),
    ],
  );
  return r.rowCount === 1;
}

export async function setRestocked(tx: Queryable, id: string, now: Date) {
  await tx.query(`UPDATE returns SET restocked = true, updated_at = $2 WHERE id = $1`, [id, now]);
}
