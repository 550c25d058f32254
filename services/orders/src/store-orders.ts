import type { Queryable } from '@storefront/kit';
import type { Order, OrderStatus, ShipmentRef } from './domain.ts';

/** Order rows: one function per query, returning domain types. */

type Raw = {
  id: string;
  number: string;
  customer_id: string | null;
  email: string | null;
  cart_id: string;
  status: OrderStatus;
  status_reason: string | null;
  action_url: string | null;
  currency: string;
  lines: Order['lines'];
  promotions: Order['promotions'];
  totals: Order['totals'];
  address: Order['address'];
  shipping_method: string;
  payment_method: string;
  return_url: string;
  shipments: ShipmentRef[];
  refunded: number;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  request_hash: string;
};

export const fromRow = (r: Raw): Order => ({
  id: r.id,
  number: r.number,
  customerId: r.customer_id,
  email: r.email,
  cartId: r.cart_id,
  status: r.status,
  statusReason: r.status_reason,
  actionUrl: r.action_url,
  currency: r.currency,
  lines: r.lines,
  promotions: r.promotions,
  totals: r.totals,
  address: r.address,
  shippingMethod: r.shipping_method,
  paymentMethod: r.payment_method,
  returnUrl: r.return_url,
  shipments: r.shipments,
  refunded: Number(r.refunded),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  confirmedAt: r.confirmed_at,
  cancelledAt: r.cancelled_at,
  shippedAt: r.shipped_at,
  deliveredAt: r.delivered_at,
});

export interface NewOrder {
  readonly order: Order;
  readonly idemScope: string;
  readonly idemKey: string;
  readonly requestHash: string;
}

/** Inserts unless the idempotency key was used: then the existing order and its request hash. */
export async function insertOrder(
  tx: Queryable,
  n: NewOrder,
): Promise<
  | { inserted: true }
  | { inserted: false; existing: Order; requestHash: string }
  | { inserted: false; cartTaken: true }
  /** Another order took the same number (or id): place it again under a new id. */
  | { inserted: false; numberTaken: true }
> {
  const o = n.order;
  const r = await tx.query(
    `INSERT INTO orders (id, number, customer_id, email, cart_id, idem_scope, idem_key, request_hash, status,
            currency, lines, promotions, totals, address, shipping_method, payment_method, return_url,
            created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18)
     ON CONFLICT DO NOTHING`,
    [
      o.id,
      o.number,
      o.customerId,
      o.email,
      o.cartId,
      n.idemScope,
      n.idemKey,
      n.requestHash,
      o.status,
      o.currency,
      JSON.stringify(o.lines),
      JSON.stringify(o.promotions),
      JSON.stringify(o.totals),
      JSON.stringify(o.address),
      o.shippingMethod,
      o.paymentMethod,
      o.returnUrl,
      o.createdAt,
    ],
  );
  if (r.rowCount === 1) return { inserted: true };
  const existing = await byIdempotencyKey(tx, n.idemScope, n.idemKey);
  if (existing) return { inserted: false, ...existing };
  const live = await tx.query(`SELECT 1 FROM orders WHERE cart_id = $1 AND status <> 'cancelled'`, [o.cartId]);
  return live.rowCount ? { inserted: false, cartTaken: true } : { inserted: false, numberTaken: true };
}

export async function byIdempotencyKey(db: Queryable, scope: string, key: string) {
  const { rows } = await db.query<Raw>(`SELECT * FROM orders WHERE idem_scope = $1 AND idem_key = $2`, [scope, key]);
  const r = rows[0];
  return r ? { existing: fromRow(r), requestHash: r.request_hash } : null;
}

export async function getOrder(db: Queryable, id: string): Promise<Order | null> {
  const { rows } = await db.query<Raw>(`SELECT * FROM orders WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function lockOrder(tx: Queryable, id: string): Promise<Order | null> {
  const { rows } = await tx.query<Raw>(`SELECT * FROM orders WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Sets the status; the timestamps of confirmed/cancelled/shipped/delivered are set once. */
export async function setStatus(
  tx: Queryable,
  id: string,
  s: { status: OrderStatus; reason?: string | null; actionUrl?: string | null; now: Date },
): Promise<void> {
  await tx.query(
    `UPDATE orders SET status = $2,
            status_reason = CASE WHEN $3::boolean THEN $4 ELSE status_reason END,
            action_url = CASE WHEN $5::boolean THEN $6 ELSE action_url END,
            confirmed_at = CASE WHEN $2 = 'confirmed' THEN coalesce(confirmed_at, $7) ELSE confirmed_at END,
            cancelled_at = CASE WHEN $2 = 'cancelled' THEN coalesce(cancelled_at, $7) ELSE cancelled_at END,
            shipped_at = CASE WHEN $2 = 'shipped' THEN coalesce(shipped_at, $7) ELSE shipped_at END,
            delivered_at = CASE WHEN $2 = 'delivered' THEN coalesce(delivered_at, $7) ELSE delivered_at END,
            updated_at = $7
      WHERE id = $1`,
    [id, s.status, s.reason !== undefined, s.reason ?? null, s.actionUrl !== undefined, s.actionUrl ?? null, s.now],
  );
}

export async function setShipments(tx: Queryable, id: string, shipments: readonly ShipmentRef[], now: Date) {
  await tx.query(`UPDATE orders SET shipments = $2, updated_at = $3 WHERE id = $1`, [
    id,
    JSON.stringify(shipments),
    now,
  ]);
}

export async function addRefunded(tx: Queryable, id: string, amount: number, now: Date) {
  await tx.query(`UPDATE orders SET refunded = refunded + $2, updated_at = $3 WHERE id = $1`, [id, amount, now]);
}

export interface OrderQuery {
  readonly customerId?: string | null;
  readonly status?: OrderStatus | null;
  readonly email?: string | null;
  readonly number?: string | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
  /** Keyset: ids below this one (ids are time-ordered, so newest first). */
  readonly before?: string | null;
  readonly limit: number;
}

export async function listOrders(db: Queryable, q: OrderQuery): Promise<Order[]> {
  const { rows } = await db.query<Raw>(
    `SELECT * FROM orders
      WHERE ($1::text IS NULL OR customer_id = $1)
        AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR lower(email) = lower($3))
        AND ($4::text IS NULL OR number = upper($4))
        AND ($5::timestamptz IS NULL OR created_at >= $5)
        AND ($6::timestamptz IS NULL OR created_at < $6)
        AND ($7::uuid IS NULL OR id < $7)
      ORDER BY id DESC LIMIT $8`,
    [
      q.customerId ?? null,
      q.status ?? null,
      q.email ?? null,
      q.number ?? null,
      q.from ?? null,
      q.to ?? null,
      q.before ?? null,
      q.limit,
    ],
  );
  return rows.map(fromRow);
}

export async function addNote(tx: Queryable, n: { orderId: string; author: string | null; body: string; now: Date }) {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO order_notes (order_id, author, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
    [n.orderId, n.author, n.body, n.now],
  );
  return rows[0]?.id ?? 0;
}

export async function notesOf(db: Queryable, orderId: string) {
  const { rows } = await db.query<{ id: number; author: string | null; body: string; created_at: Date }>(
    `SELECT id, author, body, created_at FROM order_notes WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );
  return rows.map((r) => ({ id: r.id, author: r.author, body: r.body, createdAt: r.created_at.toISOString() }));
}

/** Promotion uses to count or give back over HTTP; unique per (order, promotion, action). */
export async function queuePromotionTasks(
  tx: Queryable,
  orderId: string,
  promotionIds: readonly string[],
  action: 'redeem' | 'release',
  now: Date,
) {
  for (const p of promotionIds) {
    await tx.query(
      `INSERT INTO promotion_tasks (order_id, promotion_id, action, next_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [orderId, p, action, now],
    );
  }
}
