import { type AuthEnv, callerOf, createRoute, createRouter, NotFound } from '@storefront/kit';
import type { CartDeps } from './app.ts';
import { hashToken, newCartToken, readCart } from './cart-access.ts';
import { accessOf, mutateCart, view } from './mutate.ts';
import { body, CartHeaders, CartOut, CartParams, CreateCartIn, CreatedCartOut, json } from './schemas.ts';
import * as store from './store.ts';

/** Creating and reading carts. */
export function cartRoutes(deps: CartDeps) {
  const app = createRouter<AuthEnv>();
  const { db } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/carts',
      summary: "Start a cart (a guest's, or the signed-in customer's)",
      description:
        'Anonymous: a new guest cart and its secret token, shown only in this answer; send it back as ' +
        "`X-Cart-Token`. Signed in: the customer's open cart (200), or a new one (201) — also when their last " +
        'cart was checked out (`ordered` carts are never returned here). An empty cart takes the asked currency.',
      request: { body: body(CreateCartIn) },
      responses: {
        200: json(CreatedCartOut, "The customer's existing open cart"),
        201: json(CreatedCartOut, 'A new cart'),
      },
    }),
    async (c) => {
      const asked = c.req.valid('json').currency;
      const currency = asked ?? 'USD';
      const caller = c.get('caller');
      const now = deps.clock();
      if (!caller) {
        const token = newCartToken();
        const id = deps.newId();
        await db.tx((tx) => store.insertCart(tx, { id, customerId: null, tokenHash: hashToken(token), currency, now }));
        const cart = await store.getCart(db, id);
        if (!cart) throw new Error('cart vanished after insert');
        await deps.cache.put(cart);
        return c.json({ cart: await view(deps, cart), token }, 201);
      }
      const existing = await store.openCartOf(db, caller.id);
      if (existing) {
        const cart =
          asked && existing.lines.length === 0 && existing.currency !== asked
            ? await mutateCart(deps, existing.id, { caller, token: undefined }, async (_tx, cur) =>
                cur.lines.length === 0 ? { currency: asked } : false,
              )
            : existing;
        return c.json({ cart: await view(deps, cart), token: null }, 200);
      }
      const created = await db.tx((tx) =>
        store.insertCart(tx, { id: deps.newId(), customerId: caller.id, tokenHash: null, currency, now }),
      );
      // Lost a race with another device of the same customer: theirs is the one open cart.
      const cart = await store.openCartOf(db, caller.id);
      if (!cart) throw new Error('open cart vanished after insert');
      await deps.cache.put(cart);
      return c.json({ cart: await view(deps, cart), token: null }, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/carts/mine',
      summary: "The signed-in customer's open cart",
      description:
        '404 when they have none — also right after a checkout: an `ordered` cart is never answered here ' +
        '(`GET /carts/{id}` still shows it). `POST /carts` then starts a new one.',
      responses: { 200: json(CartOut, 'The cart, re-priced') },
    }),
    async (c) => {
      const caller = callerOf(c);
      const cart = await store.openCartOf(db, caller.id);
      if (!cart) throw new NotFound('you have no open cart');
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/carts/{id}',
      summary: 'A cart, re-priced from the catalog',
      description:
        'Lines whose price changed since they were added are flagged (`priceChanged`, `seenUnitPrice`); ' +
        "checkout refuses until they are acknowledged. 404 unless the cart is the caller's or the " +
        '`X-Cart-Token` is its token. Any status is answered: an `ordered` cart carries its `orderId`, and ' +
        'refuses changes (409 `cart_ordered`) until that order is cancelled.',
      request: { params: CartParams, headers: CartHeaders },
      responses: { 200: json(CartOut, 'The cart') },
    }),
    async (c) => {
      const cart = await readCart(db, deps.cache, c.req.valid('param').id, accessOf(c));
      return c.json(await view(deps, cart), 200);
    },
  );

  return app;
}
