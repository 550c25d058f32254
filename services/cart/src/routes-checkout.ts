import { type AuthEnv, createRoute, createRouter } from '@storefront/kit';
import type { CartDeps } from './app.ts';
import { ensureOpen, mayAccess, readCart } from './cart-access.ts';
import { type CartView, priceCart } from './cart-view.ts';
import { CartClosed, CartNotFound, CodeNotApplicable, Invalid, Refused } from './errors.ts';
import { accessOf, mutateCart, view } from './mutate.ts';
import { shippingOptionsFor, taxRateFor } from './rates.ts';
import { body, CartHeaders, CartOut, CartParams, CodeIn, json, ShippingIn } from './schemas.ts';
import * as store from './store.ts';
import { UpstreamFailed } from './upstream.ts';

/** What the shopper settles before paying: shipping, region, code, price changes; and the quote checkout takes. */
export function checkoutRoutes(deps: CartDeps) {
  const app = createRouter<AuthEnv>();
  const cartResponse = { 200: json(CartOut, 'The cart') };

  app.openapi(
    createRoute({
      method: 'put',
      path: '/carts/{id}/shipping',
      summary: 'Choose the shipping option and the tax region (null clears, absent keeps)',
      request: { params: CartParams, headers: CartHeaders, body: body(ShippingIn) },
      responses: cartResponse,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { option, region } = c.req.valid('json');
      const cart = await mutateCart(deps, id, accessOf(c), async (_tx, cur) => {
        const offered = shippingOptionsFor(deps.shipping, cur.currency);
        if (option && !offered.some((o) => o.id === option)) {
          throw new Invalid('unknown_shipping_option', `no shipping option ${option} for ${cur.currency}`, {
            options: offered.map((o) => o.id),
          });
        }
        if (region && !taxRateFor(deps.tax, region)) {
          throw new Invalid('unknown_tax_region', `we do not ship to ${region}`, { region });
        }
        return { shippingOption: option, taxRegion: region };
      });
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/carts/{id}/code',
      summary: 'Apply a promotion code',
      description:
        '422 `code_not_applicable` with `reason` when it does not apply to this cart ("this code needs a subtotal ' +
        'of at least $50.00", "this code expired on …", "you have already used this code", ' +
        '"this code is not valid for these products").',
      request: { params: CartParams, headers: CartHeaders, body: body(CodeIn) },
      responses: cartResponse,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const code = c.req.valid('json').code.toUpperCase();
      const access = accessOf(c);
      const before = await readCart(deps.db, deps.cache, id, access);
      ensureOpen(before);
      const trial = await priceCart(deps, { ...before, code });
      // Judging a code on stale prices (no categories) would give a wrong reason.
      if (trial.pricing === 'stale') throw new UpstreamFailed('catalog', 'prices unavailable');
      if (trial.code && !trial.code.applied) {
        throw new CodeNotApplicable(
          code,
          trial.code.reasonCode ?? 'inactive',
          trial.code.reason ?? 'this code is not valid',
        );
      }
      const cart = await mutateCart(deps, id, access, async () => ({ code }));
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/carts/{id}/code',
      summary: 'Remove the promotion code',
      request: { params: CartParams, headers: CartHeaders },
      responses: cartResponse,
    }),
    async (c) => {
      const cart = await mutateCart(deps, c.req.valid('param').id, accessOf(c), async (_tx, cur) =>
        cur.code === null ? false : { code: null },
      );
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/carts/{id}/acknowledge-prices',
      summary: 'Accept the current prices of every line (clears the price-changed flags)',
      request: { params: CartParams, headers: CartHeaders },
      responses: cartResponse,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const access = accessOf(c);
      const before = await readCart(deps.db, deps.cache, id, access);
      ensureOpen(before);
      const infos = await deps.catalog.lookup(
        before.lines.map((l) => l.sku),
        before.currency,
      );
      const cart = await mutateCart(deps, id, access, async (tx, cur) => {
        const prices = new Map<string, number>();
        for (const l of cur.lines) {
          const price = cur.currency === before.currency ? infos.get(l.sku)?.price : undefined;
          if (price !== undefined && price !== null && price !== l.unitPrice) prices.set(l.sku, price);
        }
        if (prices.size === 0) return false;
        await store.setUnitPrices(tx, id, prices);
        return {};
      });
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/carts/{id}/checkout-quote',
      summary: 'The priced cart checkout takes, or why it cannot be checked out yet',
      description:
        '409 with a `code`: `cart_already_ordered` (an order was placed from it), `cart_closed`, `cart_empty`, `line_unavailable`, `prices_changed` (acknowledge first), ' +
        '`code_not_applicable`, `checkout_incomplete` (shipping option or tax region missing), `out_of_stock`. ' +
        '503 when the catalog cannot price it now. Stock is advisory here; checkout reserves it.',
      request: { params: CartParams, headers: CartHeaders },
      responses: { 200: json(CartOut, 'The cart as it will be charged') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // Straight from Postgres: checkout must not act on a cached copy.
      const cart = await store.getCart(deps.db, id);
      if (!cart || !mayAccess(cart, accessOf(c))) throw new CartNotFound();
      // The code orders answers with for a cart that has a live order: one refusal, whoever notices first.
      if (cart.status === 'ordered') {
        throw new Refused('cart_already_ordered', 'an order was already placed from this cart', {
          orderId: cart.orderId ?? null,
        });
      }
      if (cart.status !== 'open') throw new CartClosed(cart.status);
      const v = await priceCart(deps, cart);
      blockers(v);
      await checkStock(deps, v);
      return c.json(v, 200);
    },
  );

  return app;
}

function blockers(v: CartView): void {
  if (v.lines.length === 0) throw new Refused('cart_empty', 'the cart is empty');
  if (v.pricing === 'stale') throw new UpstreamFailed('catalog', 'prices unavailable');
  const gone = v.lines.filter((l) => !l.available).map((l) => l.sku);
  if (gone.length)
    throw new Refused('line_unavailable', 'some products are no longer sold; remove them', { skus: gone });
  const changed = v.lines.filter((l) => l.priceChanged);
  if (changed.length) {
    throw new Refused('prices_changed', 'some prices changed since they were added; review and acknowledge them', {
      lines: changed.map((l) => ({ sku: l.sku, seenUnitPrice: l.seenUnitPrice, unitPrice: l.unitPrice })),
    });
  }
  if (v.code && !v.code.applied) {
    throw new Refused('code_not_applicable', v.code.reason ?? 'this code is not valid', {
      promotionCode: v.code.code,
      reasonCode: v.code.reasonCode,
      reason: v.code.reason,
    });
  }
  const missing = [v.shippingOption ? null : 'shippingOption', v.taxRegion ? null : 'taxRegion'].filter(Boolean);
  if (missing.length) throw new Refused('checkout_incomplete', `choose ${missing.join(' and ')} first`, { missing });
}

async function checkStock(deps: CartDeps, v: CartView): Promise<void> {
  let available: Map<string, number>;
  try {
    available = await deps.inventory.availability(v.lines.map((l) => l.sku));
  } catch (err) {
    if (!(err instanceof UpstreamFailed)) throw err;
    deps.log.warn({ err, cartId: v.id }, 'inventory unavailable; quote given without a stock check');
    return;
  }
  const short = v.lines
    .map((l) => ({ sku: l.sku, requested: l.quantity, available: available.get(l.sku) ?? 0 }))
    .filter((l) => l.requested > l.available);
  if (short.length) throw new Refused('out_of_stock', 'some products are short of stock', { lines: short });
}
