import type { Queryable } from '@storefront/kit';
import type { Behaviour, CheckedCard } from './cards.ts';

/** The sandbox provider's SQL (its own sandbox_* tables; payments code never reads them). */

export type IntentStatus =
  | 'requires_action'
  | 'requires_capture'
  | 'succeeded'
  | 'requires_payment_method'
  | 'canceled';

export interface SandboxIntent {
  readonly id: string;
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: IntentStatus;
  readonly amountCaptured: number;
  readonly amountRefunded: number;
  readonly paymentMethod: string;
  readonly returnUrl: string;
  readonly behaviour: Behaviour | null;
  readonly brand: string | null;
  readonly last4: string | null;
}

export interface PaymentMethodRow {
  readonly id: string;
  readonly brand: string;
  readonly last4: string;
  readonly behaviour: Behaviour;
}

export async function insertPaymentMethod(q: Queryable, id: string, card: CheckedCard, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO sandbox_payment_methods (id, brand, last4, exp_month, exp_year, behaviour, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, card.brand, card.last4, card.expMonth, card.expYear, card.behaviour, now],
  );
}

export async function getPaymentMethod(q: Queryable, id: string): Promise<PaymentMethodRow | undefined> {
  const { rows } = await q.query<PaymentMethodRow>(
    'SELECT id, brand, last4, behaviour FROM sandbox_payment_methods WHERE id = $1',
    [id],
  );
  return rows[0];
}

const INTENT = `i.id, i.payment_id AS "paymentId", i.order_id AS "orderId", i.amount, i.currency, i.status,
  i.amount_captured AS "amountCaptured", i.amount_refunded AS "amountRefunded", i.payment_method AS "paymentMethod",
  i.return_url AS "returnUrl", m.behaviour, m.brand, m.last4
  FROM sandbox_intents i LEFT JOIN sandbox_payment_methods m ON m.id = i.payment_method`;

export async function insertIntent(
  q: Queryable,
  i: Omit<SandboxIntent, 'amountCaptured' | 'amountRefunded' | 'behaviour' | 'brand' | 'last4'>,
  now: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO sandbox_intents (id, payment_id, order_id, amount, currency, status, payment_method, return_url,
       created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
    [i.id, i.paymentId, i.orderId, i.amount, i.currency, i.status, i.paymentMethod, i.returnUrl, now],
  );
}

export async function lockIntent(q: Queryable, id: string): Promise<SandboxIntent | undefined> {
  const { rows } = await q.query<SandboxIntent>(`SELECT ${INTENT} WHERE i.id = $1 FOR UPDATE OF i`, [id]);
  return rows[0];
}

export async function intentOfPayment(
  q: Queryable,
  paymentId: string,
  lock = false,
): Promise<SandboxIntent | undefined> {
  const { rows } = await q.query<SandboxIntent>(
    `SELECT ${INTENT} WHERE i.payment_id = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
    [paymentId],
  );
  return rows[0];
}

export async function updateIntent(
  q: Queryable,
  id: string,
  patch: { status?: IntentStatus; captured?: number; refundedDelta?: number },
  now: Date,
): Promise<void> {
  await q.query(
    `UPDATE sandbox_intents SET status = COALESCE($2, status), amount_captured = COALESCE($3, amount_captured),
       amount_refunded = amount_refunded + $4, updated_at = $5 WHERE id = $1`,
    [id, patch.status ?? null, patch.captured ?? null, patch.refundedDelta ?? 0, now],
  );
}

export async function insertRefund(
  q: Queryable,
  r: { id: string; intentId: string; refundId: string; amount: number; status: 'pending' | 'succeeded' },
  now: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO sandbox_refunds (id, intent_id, refund_id, amount, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [r.id, r.intentId, r.refundId, r.amount, r.status, now],
  );
}

/** The first answer stored for a key, with the fingerprint of the request that got it. */
export async function storedResponse(
  q: Queryable,
  key: string,
): Promise<{ fingerprint: string; response: unknown } | undefined> {
  const { rows } = await q.query<{ fingerprint: string; response: unknown }>(
    'SELECT fingerprint, response FROM sandbox_requests WHERE idempotency_key = $1',
    [key],
  );
  return rows[0];
}

export async function storeResponse(q: Queryable, key: string, fingerprint: string, response: unknown, now: Date) {
  await q.query(
    `INSERT INTO sandbox_requests (idempotency_key, fingerprint, response, created_at) VALUES ($1, $2, $3, $4)`,
    [key, fingerprint, JSON.stringify(response), now],
  );
}

/** Counts failures of the processing-error card per key; outside any transaction, so it survives them. */
export async function countFailure(q: Queryable, key: string): Promise<number> {
  const { rows } = await q.query<{ failures: number }>(
    `INSERT INTO sandbox_flaky (idempotency_key, failures) VALUES ($1, 1)
     ON CONFLICT (idempotency_key) DO UPDATE SET failures = sandbox_flaky.failures + 1 RETURNING failures`,
    [key],
  );
  return rows[0]?.failures ?? 1;
}

export async function enqueueWebhook(q: Queryable, id: string, type: string, body: unknown, now: Date): Promise<void> {
  await q.query(`INSERT INTO sandbox_webhooks (id, type, body, next_attempt_at) VALUES ($1, $2, $3, $4)`, [
    id,
    type,
    JSON.stringify(body),
    now,
  ]);
}

export async function insertChallenge(q: Queryable, hash: Buffer, intentId: string, expiresAt: Date): Promise<void> {
  await q.query('INSERT INTO sandbox_challenges (token_hash, intent_id, expires_at) VALUES ($1, $2, $3)', [
    hash,
    intentId,
    expiresAt,
  ]);
}

/** Spends a form token: once, before it expires, for this intent only. */
export async function useChallenge(q: Queryable, hash: Buffer, intentId: string, now: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE sandbox_challenges SET used_at = $3
     WHERE token_hash = $1 AND intent_id = $2 AND used_at IS NULL AND expires_at > $3`,
    [hash, intentId, now],
  );
  return rowCount === 1;
}
