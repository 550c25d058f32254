import type { Queryable } from '@storefront/kit';
import type { CartLine, CartStatus, StoredCart } from './domain.ts';

/** Carts and lines: one function per query; every read returns the cart with its lines. */

interface CartRow {
  id: string;
  customer_id: string | null;
  token_hash: string | null;
  currency: string;
  status: CartStatus;
  merged_into: string | null;
  order_id: string | null;
  ordered_at: Date | null;
  code: string | null;
  shipping_option: string | null;
  tax_region: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  lines: { sku: string; productId: string; quantity: number; unitPrice: number; addedAt: string }[];
}

const LINES = `coalesce((
    SELECT json_agg(json_build_object('sku', l.sku, 'productId', l.product_id, 'quantity', l.quantity,
                                      'unitPrice', l.unit_price, 'addedAt', l.added_at) ORDER BY l.added_at, l.sku)
    FROM cart_lines l WHERE l.cart_id = c.id), '[]'::json) AS lines`;
const SELECT = `SELECT c.*, ${LINES} FROM carts c`;

function toCart(r: CartRow): StoredCart {
  return {
    id: r.id,
    customerId: r.customer_id,
    tokenHash: r.token_hash,
    currency: r.currency,
    status: r.status,
    mergedInto: r.merged_into,
    orderId: r.order_id,
    orderedAt: r.ordered_at ? r.ordered_at.toISOString() : null,
    code: r.code,
    shippingOption: r.shipping_option,
    taxRegion: r.tax_region,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    lines: r.lines.map((l) => ({ ...l, unitPrice: Number(l.unitPrice), addedAt: new Date(l.addedAt).toISOString() })),
  };
}

export async function getCart(db: Queryable, id: string): Promise<StoredCart | null> {
  const { rows } = await db.query<CartRow>(`${SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ? toCart(rows[0]) : null;
}

/** Takes the cart's row lock (every change to a cart and its lines happens under it) and reads it. */
export async function lockCart(tx: Queryable, id: string): Promise<StoredCart | null> {
  const { rows } = await tx.query<CartRow>(`${SELECT} WHERE c.id = $1 FOR UPDATE OF c`, [id]);
  return rows[0] ? toCart(rows[0]) : null;
}

export async function openCartOf(db: Queryable, customerId: string): Promise<StoredCart | null> {
  const { rows } = await db.query<CartRow>(`${SELECT} WHERE c.customer_id = $1 AND c.status = 'open'`, [customerId]);
  return rows[0] ? toCart(rows[0]) : null;
}

/** The customer's open cart under its row lock (merge). */
export async function lockOpenCartOf(tx: Queryable, customerId: string): Promise<StoredCart | null> {
  const { rows } = await tx.query<CartRow>(`${SELECT} WHERE c.customer_id = $1 AND c.status = 'open' FOR UPDATE OF c`, [
    customerId,
  ]);
  return rows[0] ? toCart(rows[0]) : null;
}

export interface NewCart {
  readonly id: string;
  readonly customerId: string | null;
  readonly tokenHash: string | null;
  readonly currency: string;
  readonly now: Date;
}

/** Inserts a cart; for a customer who already has an open one (a race), inserts nothing and returns false. */
export async function insertCart(tx: Queryable, c: NewCart): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO carts (id, customer_id, token_hash, currency, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (customer_id) WHERE status = 'open' AND customer_id IS NOT NULL DO NOTHING`,
    [c.id, c.customerId, c.tokenHash, c.currency, c.now],
  );
  return rowCount === 1;
}

export interface CartChanges {
  readonly currency?: string;
  readonly status?: CartStatus;
  readonly mergedInto?: string;
  readonly orderId?: string | null;
  readonly orderedAt?: Date | null;
  readonly code?: string | null;
  readonly shippingOption?: string | null;
  readonly taxRegion?: string | null;
}

const COLUMNS: Record<keyof CartChanges, string> = {
  currency: 'currency',
  status: 'status',
  mergedInto: 'merged_into',
  orderId: 'order_id',
  orderedAt: 'ordered_at',
  code: 'code',
  shippingOption: 'shipping_option',
  taxRegion: 'tax_region',
};

/**
 * Applies the changes (if any), bumps the version, touches updated_at, and returns the cart as it
 * now is (lines written earlier in the transaction included): one round trip for the last step.
 */
export async function touchCart(tx: Queryable, id: string, now: Date, changes: CartChanges = {}): Promise<StoredCart> {
  const sets: string[] = [];
  const params: unknown[] = [id, now];
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    params.push(v);
    sets.push(`${COLUMNS[k as keyof CartChanges]} = $${params.length}`);
  }
  const { rows } = await tx.query<CartRow>(
    `WITH c AS (UPDATE carts SET ${[...sets, 'version = version + 1', 'updated_at = $2'].join(', ')}
                WHERE id = $1 RETURNING *)
     SELECT c.*, ${LINES} FROM c`,
    params,
  );
  if (!rows[0]) throw new Error(`cart ${id} vanished in its transaction`);
  return toCart(rows[0]);
}

/** The cart an order closed, under its row lock (the order's cancellation). */
export async function lockCartOrderedBy(tx: Queryable, orderId: string): Promise<StoredCart | null> {
  const { rows } = await tx.query<CartRow>(`${SELECT} WHERE c.order_id = $1 FOR UPDATE OF c`, [orderId]);
  return rows[0] ? toCart(rows[0]) : null;
}

/** Remembers that an order was cancelled (idempotent). */
export async function recordCancelledOrder(tx: Queryable, orderId: string, at: Date): Promise<void> {
  await tx.query('INSERT INTO cancelled_orders (order_id, cancelled_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    orderId,
    at,
  ]);
}

export async function isCancelledOrder(tx: Queryable, orderId: string): Promise<boolean> {
  const { rowCount } = await tx.query('SELECT 1 FROM cancelled_orders WHERE order_id = $1', [orderId]);
  return (rowCount ?? 0) > 0;
}

export async function upsertLine(tx: Queryable, cartId: string, l: CartLine): Promise<void> {
  await tx.query(
    `INSERT INTO cart_lines (cart_id, sku, product_id, quantity, unit_price, added_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
                                               product_id = EXCLUDED.product_id`,
    [cartId, l.sku, l.productId, l.quantity, l.unitPrice, l.addedAt],
  );
}

export async function deleteLine(tx: Queryable, cartId: string, sku: string): Promise<void> {
  await tx.query('DELETE FROM cart_lines WHERE cart_id = $1 AND sku = $2', [cartId, sku]);
}

/** Sets every line's seen price (acknowledging price changes). */
export async function setUnitPrices(tx: Queryable, cartId: string, prices: ReadonlyMap<string, number>): Promise<void> {
  if (prices.size === 0) return;
  await tx.query(
    `UPDATE cart_lines l SET unit_price = p.price
     FROM unnest($2::text[], $3::bigint[]) AS p(sku, price) WHERE l.cart_id = $1 AND l.sku = p.sku`,
    [cartId, [...prices.keys()], [...prices.values()]],
  );
}
