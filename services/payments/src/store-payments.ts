import type { Queryable } from '@storefront/kit';
import { type Card, canMove, type Payment, type PaymentState, type ProviderName } from './domain.ts';

/** SQL for payments, one function per query. Transitions are conditional on the expected state. */

const COLUMNS = `id, order_id, customer_id, provider, provider_ref, state, currency, amount, amount_captured,
  amount_refunded, payment_method, card_brand, card_last4, return_url, action_url, decline_code, decline_message,
  created_at, updated_at`;

interface Row {
  id: string;
  order_id: string;
  customer_id: string | null;
  provider: ProviderName;
  provider_ref: string | null;
  state: PaymentState;
  currency: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  payment_method: string;
  card_brand: string | null;
  card_last4: string | null;
  return_url: string;
  action_url: string | null;
  decline_code: string | null;
  decline_message: string | null;
  created_at: Date;
  updated_at: Date;
}

function toPayment(r: Row): Payment {
  return {
    id: r.id,
    orderId: r.order_id,
    customerId: r.customer_id,
    provider: r.provider,
    providerRef: r.provider_ref,
    state: r.state,
    amount: { amount: r.amount, currency: r.currency },
    captured: r.amount_captured,
    refunded: r.amount_refunded,
    paymentMethod: r.payment_method,
    card: r.card_brand && r.card_last4 ? { brand: r.card_brand, last4: r.card_last4 } : null,
    returnUrl: r.return_url,
    actionUrl: r.action_url,
    decline: r.decline_code ? { code: r.decline_code, message: r.decline_message ?? '' } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface NewPayment {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string | null;
  readonly provider: ProviderName;
  readonly amount: { amount: number; currency: string };
  readonly paymentMethod: string;
  readonly returnUrl: string;
  readonly now: Date;
}

/**
 * The new payment, pending; undefined when the id exists (a concurrent or earlier authorize: the
 * caller then locks and reads it). The inserted row is this transaction's own until commit, so
 * it needs no separate lock.
 */
export async function insertPending(tx: Queryable, p: NewPayment): Promise<Payment | undefined> {
  const { rows } = await tx.query<Row>(
    `INSERT INTO payments (id, order_id, customer_id, provider, state, currency, amount, payment_method, return_url,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $9) ON CONFLICT (id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      p.id,
      p.orderId,
      p.customerId,
      p.provider,
      p.amount.currency,
      p.amount.amount,
      p.paymentMethod,
      p.returnUrl,
      p.now,
    ],
  );
  return rows[0] && toPayment(rows[0]);
}

export async function lockPayment(tx: Queryable, id: string): Promise<Payment | undefined> {
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM payments WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] && toPayment(rows[0]);
}

export async function getPayment(q: Queryable, id: string): Promise<Payment | undefined> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM payments WHERE id = $1`, [id]);
  return rows[0] && toPayment(rows[0]);
}

export async function paymentsOfOrder(q: Queryable, orderId: string): Promise<Payment[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM payments WHERE order_id = $1 AND state <> 'pending' ORDER BY created_at, id LIMIT 100`,
    [orderId],
  );
  return rows.map(toPayment);
}

export interface Patch {
  readonly providerRef?: string | null;
  readonly card?: Card | null;
  readonly actionUrl?: string | null;
  readonly decline?: { code: string; message: string } | null;
  readonly captured?: number;
  /** Added to amount_refunded. */
  readonly refundedDelta?: number;
}

/** Thrown when the row was not in the expected state: someone else moved it; retrying re-reads it. */
export class StaleState extends Error {
  constructor(id: string, from: PaymentState, to: PaymentState) {
    super(`payment ${id} was not ${from} when moving it to ${to}`);
    this.name = 'StaleState';
  }
}

/** `UPDATE ... WHERE id = $1 AND state = $expected`: the one way a payment changes state. */
export async function transition(
  tx: Queryable,
  id: string,
  from: PaymentState,
  to: PaymentState,
  patch: Patch,
  now: Date,
): Promise<Payment> {
  if (!canMove(from, to)) throw new Error(`no edge ${from} → ${to}`);
  const has = (k: keyof Patch) => Object.hasOwn(patch, k);
  const { rows } = await tx.query<Row>(
    `UPDATE payments SET state = $3, updated_at = $4,
       provider_ref = CASE WHEN $5 THEN $6 ELSE provider_ref END,
       card_brand = CASE WHEN $7 THEN $8 ELSE card_brand END,
       card_last4 = CASE WHEN $7 THEN $9 ELSE card_last4 END,
       action_url = CASE WHEN $10 THEN $11 ELSE action_url END,
       decline_code = CASE WHEN $12 THEN $13 ELSE decline_code END,
       decline_message = CASE WHEN $12 THEN $14 ELSE decline_message END,
       amount_captured = COALESCE($15, amount_captured),
       amount_refunded = amount_refunded + $16
     WHERE id = $1 AND state = $2
     RETURNING ${COLUMNS}`,
    [
      id,
      from,
      to,
      now,
      has('providerRef'),
      patch.providerRef ?? null,
      has('card'),
      patch.card?.brand ?? null,
      patch.card?.last4 ?? null,
      has('actionUrl'),
      patch.actionUrl ?? null,
      has('decline'),
      patch.decline?.code ?? null,
      patch.decline?.message ?? null,
      patch.captured ?? null,
      patch.refundedDelta ?? 0,
    ],
  );
  if (!rows[0]) throw new StaleState(id, from, to);
  return toPayment(rows[0]);
}

/** The payment a provider object belongs to, locked; by our id first (from metadata), else by reference. */
export async function lockByProviderRef(
  tx: Queryable,
  provider: ProviderName,
  providerRef: string,
  paymentId: string,
): Promise<Payment | undefined> {
  const { rows } = await tx.query<Row>(
    `SELECT ${COLUMNS} FROM payments WHERE provider = $1 AND (id = $2 OR provider_ref = $3) LIMIT 1 FOR UPDATE`,
    [provider, paymentId, providerRef],
  );
  return rows[0] && toPayment(rows[0]);
}
