import type { Db, Logger } from '@storefront/kit';
import type { CartClient } from './cart-client.ts';

/**
 * Counts and gives back promotion uses at the cart service (HTTP, idempotent on the order id).
 * Tasks are queued in the order's transactions (redeem at placement, release at cancellation) and
 * done here with retries, oldest first per order so a release never overtakes its redeem.
 * A redeem the cart refuses for good (limit reached meanwhile) is recorded, not retried: the
 * customer keeps the price they were quoted, and staff see the outcome.
 */
export async function runPromotionTasks(
  db: Db,
  cart: CartClient,
  log: Logger,
  now: () => Date,
  batch = 20,
): Promise<number> {
  let done = 0;
  for (let i = 0; i < batch; i++) {
    const worked = await db.tx(async (tx) => {
      const { rows } = await tx.query<{
        id: number;
        order_id: string;
        promotion_id: string;
        action: 'redeem' | 'release';
        attempts: number;
        customer_id: string | null;
        currency: string;
      }>(
        `SELECT t.id, t.order_id, t.promotion_id, t.action, t.attempts, o.customer_id, o.currency
           FROM promotion_tasks t JOIN orders o ON o.id = t.order_id
          WHERE t.done_at IS NULL AND t.next_at <= $1
            AND NOT EXISTS (SELECT 1 FROM promotion_tasks e WHERE e.order_id = t.order_id AND e.id < t.id AND e.done_at IS NULL)
          ORDER BY t.next_at LIMIT 1 FOR UPDATE OF t SKIP LOCKED`,
        [now()],
      );
      const t = rows[0];
      if (!t) return false;
      try {
        const outcome = await cart.promotion(t.action, t.promotion_id, {
          orderId: t.order_id,
          customerId: t.customer_id,
        });
        await tx.query(`UPDATE promotion_tasks SET done_at = $2, outcome = $3, attempts = attempts + 1 WHERE id = $1`, [
          t.id,
          now(),
          outcome,
        ]);
      } catch (err) {
        log.warn({ err, task: t.id }, 'promotion task failed; retrying later');
        const delay = Math.min(60_000, 1_000 * 2 ** t.attempts);
        await tx.query(`UPDATE promotion_tasks SET attempts = attempts + 1, next_at = $2 WHERE id = $1`, [
          t.id,
          new Date(now().getTime() + delay),
        ]);
      }
      return true;
    });
    if (!worked) break;
    done++;
  }
  return done;
}
