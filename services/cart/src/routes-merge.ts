import { type AuthEnv, callerOf, createRoute, createRouter, type Queryable } from '@storefront/kit';
import type { CartDeps } from './app.ts';
import { ensureOpen, mayAccess } from './cart-access.ts';
import { type CartLine, mergeLines, type StoredCart } from './domain.ts';
import { CartNotFound, Refused } from './errors.ts';
import { cartMerged } from './events.ts';
import { view } from './mutate.ts';
import { body, json, MergeIn, MergeOut } from './schemas.ts';
import * as store from './store.ts';

/**
 * Sign-in folds the guest cart into the customer's: the customer proves they hold the guest
 * cart (its id and token), quantities add up under the limits, and the guest cart is closed
 * (`merged`, pointing at the customer's cart). Repeating the call is harmless.
 */
export function mergeRoutes(deps: CartDeps) {
  const app = createRouter<AuthEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/carts/merge',
      summary: "Merge a guest cart into the signed-in customer's cart",
      description:
        'Quantities of the same SKU add up, capped at the per-line limit (`capped`); lines beyond the line limit ' +
        "are left out (`dropped`, also SKUs with no price in the customer cart's currency). The customer's code, " +
        "shipping option and region win; the guest's fill in what is unset.",
      request: { body: body(MergeIn) },
      responses: { 200: json(MergeOut, "The customer's cart after the merge") },
    }),
    async (c) => {
      const caller = callerOf(c);
      const { cartId, token } = c.req.valid('json');
      const guest = await store.getCart(deps.db, cartId);
      if (!guest || guest.customerId !== null || !mayAccess(guest, { caller: undefined, token })) {
        throw new CartNotFound();
      }
      const mine = await store.openCartOf(deps.db, caller.id);
      const currency = mine && mine.lines.length > 0 ? mine.currency : guest.currency;
      // Another currency: the guest's lines take the customer's cart's prices (looked up before the lock).
      const prices =
        currency === guest.currency
          ? null
          : await deps.catalog.lookup(
              guest.lines.map((l) => l.sku),
              currency,
            );

      const outcome = await deps.db.tx(async (tx) => {
        const g = await store.lockCart(tx, cartId);
        if (!g) throw new CartNotFound();
        if (g.status === 'merged') return { already: g.mergedInto };
        ensureOpen(g);
        const target = await openTarget(deps, tx, caller.id, g.currency);
        const sameCurrency = target.currency === g.currency || target.lines.length === 0;
        if (!sameCurrency && target.currency !== currency)
          throw new Refused('cart_changed', 'the cart changed; try again');
        const unpriced: string[] = [];
        const incoming: CartLine[] = sameCurrency ? [...g.lines] : reprice(g.lines, prices, unpriced);
        const merged = mergeLines(target.lines, incoming, deps.limits);
        for (const l of merged.lines) await store.upsertLine(tx, target.id, l);
        const now = deps.clock();
        const after = await store.touchCart(tx, target.id, now, {
          ...(target.lines.length === 0 && target.currency !== g.currency ? { currency: g.currency } : {}),
          ...(target.code === null && g.code !== null ? { code: g.code } : {}),
          ...(target.shippingOption === null && g.shippingOption !== null ? { shippingOption: g.shippingOption } : {}),
          ...(target.taxRegion === null && g.taxRegion !== null ? { taxRegion: g.taxRegion } : {}),
        });
        const closed = await store.touchCart(tx, g.id, now, { status: 'merged', mergedInto: target.id });
        await cartMerged(deps.outbox, tx, target.id, caller.id, g.id);
        return { cart: after, closed, capped: merged.capped, dropped: [...unpriced, ...merged.dropped] };
      });

      if ('already' in outcome) {
        // Merged before: fine if it went into this customer's cart, otherwise not theirs to see.
        const into = outcome.already ? await store.getCart(deps.db, outcome.already) : null;
        if (!into || !mayAccess(into, { caller, token: undefined })) throw new CartNotFound();
        return c.json({ cart: await view(deps, into), capped: [], dropped: [] }, 200);
      }
      const { cart, closed } = outcome;
      await deps.cache.put(closed);
      await deps.cache.put(cart);
      return c.json({ cart: await view(deps, cart), capped: outcome.capped, dropped: outcome.dropped }, 200);
    },
  );

  return app;
}

/** The customer's open cart, locked; created in the guest cart's currency when there is none. */
async function openTarget(deps: CartDeps, tx: Queryable, customerId: string, currency: string): Promise<StoredCart> {
  const existing = await store.lockOpenCartOf(tx, customerId);
  if (existing) return existing;
  await store.insertCart(tx, { id: deps.newId(), customerId, tokenHash: null, currency, now: deps.clock() });
  const created = await store.lockOpenCartOf(tx, customerId);
  if (!created) throw new Error('open cart vanished after insert');
  return created;
}

function reprice(
  lines: readonly CartLine[],
  prices: ReadonlyMap<string, { price: number | null } | null> | null,
  unpriced: string[],
): CartLine[] {
  return lines.flatMap((l) => {
    const price = prices?.get(l.sku)?.price;
    if (price === undefined || price === null) {
      unpriced.push(l.sku);
      return [];
    }
    return [{ ...l, unitPrice: price }];
  });
}
