import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WebEnv } from '../env.ts';

/**
 * A guest sees an order with its order token (the orders API wants it as X-Order-Token). Web
 * keeps the tokens of the last few guest orders in its own HttpOnly cookie, so the confirmation
 * page, the 3-D Secure return and a reload all find them; nothing of it reaches page script.
 */
export const ORDERS_COOKIE = 'sf_orders';
/** The order placed last from this browser and the cart it came from: `${orderId}.${cartId}`. */
export const PLACED_COOKIE = 'sf_placed';

const MAX_ORDERS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
const MONTH = 60 * 60 * 24 * 30;

function options(c: Context<WebEnv>, maxAge: number) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: c.get('config').COOKIE_SECURE,
    path: '/',
    maxAge,
  };
}

function entries(c: Context<WebEnv>): { id: string; token: string }[] {
  const raw = getCookie(c, ORDERS_COOKIE) ?? '';
  const out: { id: string; token: string }[] = [];
  for (const part of raw.split('~')) {
    const dot = part.indexOf('.');
    if (dot < 0) continue;
    const id = part.slice(0, dot);
    const token = part.slice(dot + 1);
    if (UUID.test(id) && TOKEN.test(token)) out.push({ id, token });
  }
  return out.slice(0, MAX_ORDERS);
}

/** The guest token of an order placed from this browser, if any. */
export function orderTokenFor(c: Context<WebEnv>, orderId: string): string | undefined {
  return entries(c).find((e) => e.id === orderId)?.token;
}

/** Remember an order placed just now (its token for a guest; the cart it came from either way). */
export function rememberOrder(c: Context<WebEnv>, order: { id: string; token: string | null; cartId: string }): void {
  if (order.token && TOKEN.test(order.token)) {
    const list = [{ id: order.id, token: order.token }, ...entries(c).filter((e) => e.id !== order.id)];
    const value = list
      .slice(0, MAX_ORDERS)
      .map((e) => `${e.id}.${e.token}`)
      .join('~');
    setCookie(c, ORDERS_COOKIE, value, options(c, MONTH));
  }
  setCookie(c, PLACED_COOKIE, `${order.id}.${order.cartId}`, options(c, 60 * 60 * 24));
}

/** The order placed last from this browser and its cart, until the cart is settled. */
export function placedOrder(c: Context<WebEnv>): { orderId: string; cartId: string } | undefined {
  const raw = getCookie(c, PLACED_COOKIE) ?? '';
  const [orderId, cartId] = raw.split('.');
  return orderId && cartId && UUID.test(orderId) && UUID.test(cartId) ? { orderId, cartId } : undefined;
}

export function forgetPlaced(c: Context<WebEnv>): void {
  deleteCookie(c, PLACED_COOKIE, { path: '/' });
}
