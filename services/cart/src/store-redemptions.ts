import type { Queryable } from '@storefront/kit';
import { Refused } from './errors.ts';

/**
 * Counting promotion uses. Everything happens in the caller's transaction, always in the same
 * order (redemption row → promotion row → customer row), so concurrent redeemers queue on the
 * same locks and never deadlock:
 * 1. the (promotion, order) row is the idempotency key: a second redeem for the order finds it;
 * 2. `used_count + 1 ... WHERE used_count < usage_limit` is re-evaluated by Postgres on the newest
 *    row version, so with a limit of 100 exactly 100 succeed however many race;
 * 3. the per-customer count is a conditional upsert on the same principle.
 * A refusal throws, rolling back the earlier steps.
 */

export interface RedeemInput {
  readonly promotionId: string;
  readonly orderId: string;
  readonly customerId: string | null;
  readonly perCustomerLimit: number | null;
  readonly discount: number | null;
  readonly currency: string | null;
  readonly now: Date;
}

export interface RedemptionOutcome {
  /** True when this order had already redeemed it: nothing was counted again. */
  readonly replayed: boolean;
  readonly usedCount: number;
}

export async function redeem(tx: Queryable, r: RedeemInput): Promise<RedemptionOutcome> {
  const inserted = await tx.query(
    `INSERT INTO promotion_redemptions (promotion_id, order_id, customer_id, status, discount, currency, redeemed_at)
     VALUES ($1, $2, $3, 'redeemed', $4, $5, $6) ON CONFLICT (promotion_id, order_id) DO NOTHING`,
    [r.promotionId, r.orderId, r.customerId, r.discount, r.currency, r.now],
  );
  if (inserted.rowCount === 0) {
    const { rows } = await tx.query<{ status: string; used_count: number }>(
      `SELECT r.status, p.used_count FROM promotion_redemptions r JOIN promotions p ON p.id = r.promotion_id
       WHERE r.promotion_id = $1 AND r.order_id = $2`,
      [r.promotionId, r.orderId],
    );
    const prior = rows[0];
    if (prior?.status === 'redeemed') return { replayed: true, usedCount: prior.used_count };
    throw new Refused('redemption_released', 'this order released the promotion; a new order must redeem it again', {
      orderId: r.orderId,
    });
  }
  const counted = await tx.query<{ used_count: number }>(
    `UPDATE promotions SET used_count = used_count + 1
     WHERE id = $1 AND (usage_limit IS NULL OR used_count < usage_limit) RETURNING used_count`,
    [r.promotionId],
  );
  const usedCount = counted.rows[0]?.used_count;
  if (usedCount === undefined) throw new Refused('usage_limit', 'this code has been used up');
  if (r.customerId) {
    const mine = await tx.query(
      `INSERT INTO promotion_customer_uses (promotion_id, customer_id, uses) VALUES ($1, $2, 1)
       ON CONFLICT (promotion_id, customer_id) DO UPDATE SET uses = promotion_customer_uses.uses + 1
       WHERE $3::int IS NULL OR promotion_customer_uses.uses < $3::int`,
      [r.promotionId, r.customerId, r.perCustomerLimit],
    );
    if (mine.rowCount === 0) throw new Refused('already_used', 'you have already used this code');
  }
  return { replayed: false, usedCount };
}

export type ReleaseOutcome =
  | { readonly found: false }
  | {
      readonly found: true;
      readonly replayed: boolean;
      readonly customerId: string | null;
      readonly usedCount: number;
    };

export async function release(
  tx: Queryable,
  r: { promotionId: string; orderId: string; now: Date },
): Promise<ReleaseOutcome> {
  const { rows } = await tx.query<{ customer_id: string | null }>(
    `UPDATE promotion_redemptions SET status = 'released', released_at = $3
     WHERE promotion_id = $1 AND order_id = $2 AND status = 'redeemed' RETURNING customer_id`,
    [r.promotionId, r.orderId, r.now],
  );
  const row = rows[0];
  if (!row) {
    const prior = await tx.query<{ customer_id: string | null; used_count: number }>(
      `SELECT r.customer_id, p.used_count FROM promotion_redemptions r JOIN promotions p ON p.id = r.promotion_id
       WHERE r.promotion_id = $1 AND r.order_id = $2`,
      [r.promotionId, r.orderId],
    );
    const p = prior.rows[0];
    return p ? { found: true, replayed: true, customerId: p.customer_id, usedCount: p.used_count } : { found: false };
  }
  const counted = await tx.query<{ used_count: number }>(
    'UPDATE promotions SET used_count = used_count - 1 WHERE id = $1 AND used_count > 0 RETURNING used_count',
    [r.promotionId],
  );
  if (row.customer_id) {
    await tx.query(
      `UPDATE promotion_customer_uses SET uses = uses - 1
       WHERE promotion_id = $1 AND customer_id = $2 AND uses > 0`,
      [r.promotionId, row.customer_id],
    );
  }
  return { found: true, replayed: false, customerId: row.customer_id, usedCount: counted.rows[0]?.used_count ?? 0 };
}
