import type { Queryable } from '@storefront/kit';

/** SQL of the per-order outcome (fulfillment_orders) and the locks that serialize work on one order. */

export type OrderState = 'created' | 'failed' | 'cancelled';

export interface FulfillmentOrder {
  readonly orderId: string;
  readonly customerId: string | null;
  readonly state: OrderState;
  readonly reason: string | null;
}

const COLUMNS = `order_id AS "orderId", customer_id AS "customerId", state, reason`;

/**
 * Inserts the order's row, or locks the one that exists. A concurrent first attempt for the same
 * order blocks here until it commits, then this one sees its outcome.
 */
export async function claimOrder(
  q: Queryable,
  o: { orderId: string; customerId: string | null; state: OrderState; reason?: string },
  now: Date,
): Promise<{ created: boolean; order: FulfillmentOrder }> {
  const inserted = await q.query<FulfillmentOrder>(
    `INSERT INTO fulfillment_orders (order_id, customer_id, state, reason, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (order_id) DO NOTHING RETURNING ${COLUMNS}`,
    [o.orderId, o.customerId, o.state, o.reason ?? null, now],
  );
  const row = inserted.rows[0];
  if (row) return { created: true, order: row };
  const existing = await lockOrder(q, o.orderId);
  if (!existing) throw new Error(`order ${o.orderId} vanished while being claimed`);
  return { created: false, order: existing };
}

export async function lockOrder(q: Queryable, orderId: string): Promise<FulfillmentOrder | undefined> {
  const { rows } = await q.query<FulfillmentOrder>(
    `SELECT ${COLUMNS} FROM fulfillment_orders WHERE order_id = $1 FOR UPDATE`,
    [orderId],
  );
  return rows[0];
}

export async function getOrder(q: Queryable, orderId: string): Promise<FulfillmentOrder | undefined> {
  const { rows } = await q.query<FulfillmentOrder>(`SELECT ${COLUMNS} FROM fulfillment_orders WHERE order_id = $1`, [
    orderId,
  ]);
  return rows[0];
}

export async function setOrderState(
  q: Queryable,
  orderId: string,
  state: OrderState,
  reason: string | null,
  now: Date,
) {
  await q.query(`UPDATE fulfillment_orders SET state = $2, reason = $3, updated_at = $4 WHERE order_id = $1`, [
    orderId,
    state,
    reason,
    now,
  ]);
}

/** Serializes work on one key (a return id) for the rest of the transaction. */
export async function lockKey(q: Queryable, key: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
}
