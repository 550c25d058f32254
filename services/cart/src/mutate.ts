import type { AuthEnv, Queryable } from '@storefront/kit';
import type { Context } from 'hono';
import type { CartDeps } from './app.ts';
import { type Access, CART_TOKEN_HEADER, lockOpenCart } from './cart-access.ts';
import { type CartView, priceCart } from './cart-view.ts';
import type { StoredCart } from './domain.ts';
import * as store from './store.ts';

/** Who is asking, as the cart sees it: the verified caller (if any) and the guest token (if any). */
export function accessOf(c: Context<AuthEnv>): Access {
  return { caller: c.get('caller'), token: c.req.header(CART_TOKEN_HEADER) };
}

/**
 * One change to an open cart the caller may touch: under the cart's row lock, `change` writes
 * lines and returns column changes (or `false`: nothing changed); the version is bumped; the new
 * cart is read back in the same transaction, then put in the read cache after commit.
 */
export async function mutateCart(
  deps: CartDeps,
  id: string,
  access: Access,
  change: (tx: Queryable, cart: StoredCart) => Promise<store.CartChanges | false>,
): Promise<StoredCart> {
  let changed = true;
  const updated = await deps.db.tx(async (tx) => {
    const cart = await lockOpenCart(tx, id, access);
    const changes = await change(tx, cart);
    if (changes === false) {
      changed = false;
      return cart;
    }
    return store.touchCart(tx, id, deps.clock(), changes);
  });
  if (changed) await deps.cache.put(updated);
  return updated;
}

export function view(deps: CartDeps, cart: StoredCart): Promise<CartView> {
  return priceCart(deps, cart);
}
