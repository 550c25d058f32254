import {
  type AuthEnv,
  createRoute,
  createRouter,
  NotFound,
  type Queryable,
  requireServiceToken,
} from '@storefront/kit';
import type { CartDeps } from './app.ts';
import type { Promotion } from './domain-promotions.ts';
import { Invalid, Refused } from './errors.ts';
import { promotionUse } from './events.ts';
import { body, json } from './schemas.ts';
import { PromotionRef, RedeemIn, RedemptionOut, ReleaseIn } from './schemas-promotions.ts';
import * as store from './store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Counting promotion uses, for the checkout (orders): redeem when an order is placed (idempotent
 * on the order id; exactly `usageLimit` succeed however many race), release when it is cancelled.
 * Conditions on the cart (subtotal, products) were checked by the checkout quote; here the
 * promotion must still be live and within its limits.
 */
export function redemptionRoutes(deps: CartDeps) {
  const app = createRouter<AuthEnv>();
  // X-Admin-Token is still read when X-Service-Token is absent, as before the kit had this guard.
  app.use('/promotions/*', requireServiceToken({ token: deps.serviceToken, alsoFrom: ['x-admin-token'] }));

  const find = async (db: Queryable, ref: string): Promise<Promotion> => {
    const p = UUID.test(ref) ? await store.getPromotion(db, ref) : await store.getPromotionByCode(db, ref);
    if (!p) throw new NotFound('no such promotion');
    return p;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/promotions/{ref}/redeem',
      summary: 'Count one use of a promotion (by id or code) for an order',
      description:
        'Idempotent on `orderId`: a repeat answers the first outcome with `replayed: true`. 409 `usage_limit`, ' +
        '`already_used` (per-customer limit), `expired`, `not_started`, `inactive`, `redemption_released`.',
      request: { params: PromotionRef, body: body(RedeemIn) },
      responses: { 200: json(RedemptionOut, 'Counted (or counted before)') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const now = deps.clock();
      const p = await find(deps.db, c.req.valid('param').ref);
      const customerId = input.customerId ?? null;
      const outcome = await deps.db.tx(async (tx) => {
        const result = await store.redeem(tx, {
          promotionId: p.id,
          orderId: input.orderId,
          customerId,
          perCustomerLimit: p.perCustomerLimit,
          discount: input.discount ?? null,
          currency: input.currency ?? null,
          now,
        });
        if (result.replayed) return result;
        // Checked after the idempotency row, so a replay of a successful redeem stays a success.
        if (!p.active) throw new Refused('inactive', 'this code is not valid');
        if (p.startsAt && now < new Date(p.startsAt)) throw new Refused('not_started', 'this code is not valid yet');
        if (p.endsAt && now >= new Date(p.endsAt))
          throw new Refused('expired', `this code expired on ${p.endsAt.slice(0, 10)}`);
        if ((p.customerOnly || p.perCustomerLimit !== null) && !customerId) {
          throw new Invalid('customer_required', 'this promotion is for signed-in customers: send customerId');
        }
        await promotionUse(deps.outbox, tx, 'promotion.redeemed.v1', {
          promotionId: p.id,
          code: p.code,
          orderId: input.orderId,
          customerId,
        });
        return result;
      });
      deps.promotions.forget();
      return c.json(
        { promotionId: p.id, code: p.code, orderId: input.orderId, status: 'redeemed' as const, ...outcome },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/promotions/{ref}/release',
      summary: "Give back an order's use of a promotion (the order was cancelled)",
      description: 'Idempotent: releasing twice answers `replayed: true`. 404 when the order never redeemed it.',
      request: { params: PromotionRef, body: body(ReleaseIn) },
      responses: { 200: json(RedemptionOut, 'Released (or released before)') },
    }),
    async (c) => {
      const { orderId } = c.req.valid('json');
      const p = await find(deps.db, c.req.valid('param').ref);
      const outcome = await deps.db.tx(async (tx) => {
        const r = await store.release(tx, { promotionId: p.id, orderId, now: deps.clock() });
        if (!r.found) throw new NotFound('this order did not redeem this promotion');
        if (!r.replayed) {
          await promotionUse(deps.outbox, tx, 'promotion.released.v1', {
            promotionId: p.id,
            code: p.code,
            orderId,
            customerId: r.customerId,
          });
        }
        return r;
      });
      deps.promotions.forget();
      return c.json(
        {
          promotionId: p.id,
          code: p.code,
          orderId,
          status: 'released' as const,
          usedCount: outcome.usedCount,
          replayed: outcome.replayed,
        },
        200,
      );
    },
  );

  return app;
}
