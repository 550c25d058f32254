import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller, Db, Queryable } from '@storefront/kit';
import type { CartCache } from './cart-cache.ts';
import type { StoredCart } from './domain.ts';
import { CartClosed, CartNotFound, CartOrdered } from './errors.ts';
import * as store from './store.ts';

/**
 * Who may touch a cart: a customer's cart only its customer (the verified token's subject); a
 * guest cart whoever presents its secret (`X-Cart-Token`, 256 random bits; we keep only the
 * sha256). Anything else is the same 404 as a cart that does not exist.
 */
export const CART_TOKEN_HEADER = 'x-cart-token';

export interface Access {
  readonly caller: Caller | undefined;
  readonly token: string | undefined;
}

export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function mayAccess(cart: StoredCart, access: Access): boolean {
  if (cart.customerId !== null) return access.caller?.id === cart.customerId;
  if (!access.token || !cart.tokenHash) return false;
  const given = Buffer.from(hashToken(access.token), 'hex');
  const stored = Buffer.from(cart.tokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The cart for a read: the Redis copy when there is one, else Postgres (and the copy refreshed). */
export async function readCart(db: Db, cache: CartCache, id: string, access: Access): Promise<StoredCart> {
  let cart = await cache.get(id);
  if (!cart) {
    cart = (await store.getCart(db, id)) ?? undefined;
    if (cart) await cache.put(cart);
  }
  if (!cart || !mayAccess(cart, access)) throw new CartNotFound();
  return cart;
}

/** Refuses a change to a cart that is not open: 409 `cart_ordered` once checked out, else `cart_closed`. */
export function ensureOpen(cart: Pick<StoredCart, 'status' | 'orderId'>): void {
  if (cart.status === 'ordered') throw new CartOrdered(cart.orderId ?? null);
  if (cart.status !== 'open') throw new CartClosed(cart.status);
}

/** The cart under its row lock, for a change: it must be the caller's and still open. */
export async function lockOpenCart(tx: Queryable, id: string, access: Access): Promise<StoredCart> {
  const cart = await store.lockCart(tx, id);
  if (!cart || !mayAccess(cart, access)) throw new CartNotFound();
  ensureOpen(cart);
  return cart;
}
