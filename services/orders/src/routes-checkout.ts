import { ACCESS_COOKIE, type AuthEnv, createRoute, createRouter } from '@storefront/kit';
import { getCookie } from 'hono/cookie';
import type { OrdersDeps } from './app.ts';
import { idempotencyScope, orderFromQuote, orderToken, requestHash } from './checkout.ts';
import type { Order } from './domain.ts';
import { CartAlreadyOrdered, IdempotencyMismatch } from './errors.ts';
import * as events from './order-events.ts';
import { startSaga } from './saga.ts';
import { body, CheckoutHeaders, CheckoutIn, CheckoutOut, IDEMPOTENCY_HEADER, json } from './schemas.ts';
import { byIdempotencyKey, insertOrder, queuePromotionTasks } from './store-orders.ts';
import { orderView } from './views.ts';

/**
 * POST /checkout: the cart's quote becomes an order in `pending` with its saga, the first command
 * (reserve stock) in the outbox of the same transaction. Answers 202 at once; the status URL
 * tells the rest. The Idempotency-Key makes a retried request answer the same order.
 */
export function checkoutRoutes(deps: OrdersDeps) {
  const app = createRouter<AuthEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/checkout',
      tags: ['checkout'],
      summary: 'Place an order from a cart (asynchronous: poll the status URL)',
      description:
        'Needs `Idempotency-Key`: the same key and body answer the same order (`replayed: true`); the same key with ' +
        'another body is 422 `idempotency_key_reused`. The cart refusals pass through as 409 with their code ' +
        '(`cart_empty`, `prices_changed`, `line_unavailable`, `checkout_incomplete`, `code_not_applicable`, `out_of_stock`); ' +
        '409 `cart_already_ordered` when the cart has a live order.',
      request: { headers: CheckoutHeaders, body: body(CheckoutIn) },
      responses: { 202: json(CheckoutOut, 'The order, pending') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const headers = c.req.valid('header');
      const caller = c.get('caller');
      const cartToken = headers['x-cart-token'];
      const key = headers[IDEMPOTENCY_HEADER];
      const scope = idempotencyScope(caller, input.cartId);
      const hash = requestHash(input, cartToken);
      const answer = (order: Parameters<typeof orderView>[0], replayed: boolean) => {
        c.header('location', `/orders/${order.id}`);
        return c.json(
          {
            order: orderView(order),
            statusUrl: `/orders/${order.id}`,
            orderToken: order.customerId ? null : orderToken(deps.orderTokenSecret, order.id),
            replayed,
          },
          202,
        );
      };
      const earlier = await byIdempotencyKey(deps.db, scope, key);
      if (earlier) {
        if (earlier.requestHash !== hash)
          throw new IdempotencyMismatch('this Idempotency-Key was used for another request');
        return answer(earlier.existing, true);
      }
      // The web app signs customers in with identity's cookie, not an Authorization header: the
      // cookie's token (verified above, CSRF-checked) goes on to the cart as a bearer token.
      const cookieToken = caller ? getCookie(c, ACCESS_COOKIE) : undefined;
      const authorization = c.req.header('authorization') ?? (cookieToken ? `Bearer ${cookieToken}` : undefined);
      const quote = await deps.cart.quote(input.cartId, { authorization, cartToken });
      const now = deps.clock();
      const place = (order: Order) =>
        deps.db.tx(async (tx) => {
          const r = await insertOrder(tx, { order, idemScope: scope, idemKey: key, requestHash: hash });
          if (!r.inserted) return r;
          await startSaga(deps, tx, order, now);
          await events.placed(deps.outbox, tx, order);
          await queuePromotionTasks(
            tx,
            order.id,
            order.promotions.map((p) => p.id),
            'redeem',
            now,
          );
          return r;
        });
      let order = orderFromQuote(quote, input, { id: deps.newId(), customerId: caller?.id ?? null, now });
      let result = await place(order);
      for (let retry = 0; retry < 3 && 'numberTaken' in result; retry++) {
        order = orderFromQuote(quote, input, { id: deps.newId(), customerId: caller?.id ?? null, now });
        result = await place(order);
      }
      if ('numberTaken' in result) throw new Error(`order numbers kept clashing for cart ${input.cartId}`);
      if (result.inserted) {
        deps.faults.point('orders.checkout.placed');
        return answer(order, false);
      }
      if ('cartTaken' in result) throw new CartAlreadyOrdered('this cart already has an order in progress or placed');
      if (result.requestHash !== hash)
        throw new IdempotencyMismatch('this Idempotency-Key was used for another request');
      return answer(result.existing, true);
    },
  );
  return app;
}
