import { type AuthEnv, createRoute, createRouter, NotFound } from '@storefront/kit';
import type { CartDeps } from './app.ts';
import { ensureOpen, readCart } from './cart-access.ts';
import { type CartLine, checkLine } from './domain.ts';
import { NotSoldInCurrency, OutOfStock, UnknownSku } from './errors.ts';
import { lineAdded, lineRemoved } from './events.ts';
import { accessOf, mutateCart, view } from './mutate.ts';
import { AddLineIn, body, CartHeaders, CartOut, CartParams, json, LineParams, SetLineIn } from './schemas.ts';
import * as store from './store.ts';
import { UpstreamFailed } from './upstream.ts';

/** Adding, changing and removing lines, with price and stock checks before the change. */
export function lineRoutes(deps: CartDeps) {
  const app = createRouter<AuthEnv>();

  const priceOf = async (sku: string, currency: string) => {
    const info = (await deps.catalog.lookup([sku], currency)).get(sku);
    if (!info) throw new UnknownSku(sku);
    if (info.price === null) throw new NotSoldInCurrency(sku, currency);
    return { productId: info.productId, price: info.price };
  };

  /** Available quantity, or null when inventory cannot say: the cart then lets it through (checkout reserves). */
  const availableOf = async (sku: string): Promise<number | null> => {
    try {
      return (await deps.inventory.availability([sku])).get(sku) ?? 0;
    } catch (err) {
      if (!(err instanceof UpstreamFailed)) throw err;
      deps.log.warn({ err, sku }, 'inventory unavailable; stock not checked');
      return null;
    }
  };
  const ensureStock = (sku: string, want: number, available: number | null) => {
    if (available !== null && want > available) throw new OutOfStock(sku, want, available);
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/carts/{id}/lines',
      summary: 'Add a SKU (its quantity adds to a line already there)',
      description:
        'Refusals: 422 `unknown_sku`, `not_sold_in_currency`, `quantity_limit`, `too_many_lines`; ' +
        '409 `out_of_stock` with `available`. The line keeps the price seen now.',
      request: { params: CartParams, headers: CartHeaders, body: body(AddLineIn) },
      responses: { 200: json(CartOut, 'The cart') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { sku, quantity } = c.req.valid('json');
      const access = accessOf(c);
      const before = await readCart(deps.db, deps.cache, id, access);
      ensureOpen(before);
      const { productId, price } = await priceOf(sku, before.currency);
      const wanted = (cart: { lines: readonly CartLine[] }) =>
        (cart.lines.find((l) => l.sku === sku)?.quantity ?? 0) + quantity;
      const others = (cart: { lines: readonly CartLine[] }) => cart.lines.filter((l) => l.sku !== sku);
      // Refuse early, before asking inventory; the same checks run again under the lock.
      checkLine(sku, wanted(before), others(before), price, deps.limits);
      const available = await availableOf(sku);
      ensureStock(sku, wanted(before), available);
      const cart = await mutateCart(deps, id, access, async (tx, cur) => {
        if (cur.currency !== before.currency) throw new NotSoldInCurrency(sku, cur.currency);
        const want = wanted(cur);
        checkLine(sku, want, others(cur), price, deps.limits);
        ensureStock(sku, want, available);
        const existing = cur.lines.find((l) => l.sku === sku);
        const line = {
          sku,
          productId,
          quantity: want,
          unitPrice: price,
          addedAt: existing?.addedAt ?? deps.clock().toISOString(),
        };
        await store.upsertLine(tx, id, line);
        await lineAdded(deps.outbox, tx, cur, line, quantity);
        return {};
      });
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/carts/{id}/lines/{sku}',
      summary: "Set a line's quantity",
      description: 'More than before is checked against stock and the limits; the seen price stays as it was.',
      request: { params: LineParams, headers: CartHeaders, body: body(SetLineIn) },
      responses: { 200: json(CartOut, 'The cart') },
    }),
    async (c) => {
      const { id, sku } = c.req.valid('param');
      const { quantity } = c.req.valid('json');
      const access = accessOf(c);
      const before = await readCart(deps.db, deps.cache, id, access);
      ensureOpen(before);
      const line = before.lines.find((l) => l.sku === sku);
      if (!line) throw new NotFound(`no line for ${sku} in this cart`);
      const available = quantity > line.quantity ? await availableOf(sku) : null;
      const cart = await mutateCart(deps, id, access, async (tx, cur) => {
        const l = cur.lines.find((x) => x.sku === sku);
        if (!l) throw new NotFound(`no line for ${sku} in this cart`);
        if (quantity === l.quantity) return false;
        if (quantity > l.quantity) {
          checkLine(
            sku,
            quantity,
            cur.lines.filter((x) => x !== l),
            l.unitPrice,
            deps.limits,
          );
          ensureStock(sku, quantity, available);
        }
        const next = { ...l, quantity };
        await store.upsertLine(tx, id, next);
        if (quantity > l.quantity) await lineAdded(deps.outbox, tx, cur, next, quantity - l.quantity);
        else await lineRemoved(deps.outbox, tx, cur, l, l.quantity - quantity, quantity);
        return {};
      });
      return c.json(await view(deps, cart), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/carts/{id}/lines/{sku}',
      summary: 'Remove a line (a line that is not there is already removed)',
      request: { params: LineParams, headers: CartHeaders },
      responses: { 200: json(CartOut, 'The cart') },
    }),
    async (c) => {
      const { id, sku } = c.req.valid('param');
      const cart = await mutateCart(deps, id, accessOf(c), async (tx, cur) => {
        const l = cur.lines.find((x) => x.sku === sku);
        if (!l) return false;
        await store.deleteLine(tx, id, sku);
        await lineRemoved(deps.outbox, tx, cur, l, l.quantity, 0);
        return {};
      });
      return c.json(await view(deps, cart), 200);
    },
  );

  return app;
}
