import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ApiError, type ApiResult, CART_COOKIE } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { forgetPlaced, orderTokenFor, placedOrder } from './order-cookies.ts';
import type { Cart, Order } from './types.ts';

/**
 * Whose cart a page works on. A guest's cart is the cart id plus its secret token, kept in web's
 * own HttpOnly `sf_cart` cookie (`${id}.${token}`) and sent as `X-Cart-Token`; a signed-in
 * shopper's cart is the customer's open cart (`/api/cart/carts/mine`), reached with their
 * identity cookies. `sf_cart_n` (readable, not secret) is the item count the header shows.
 */
export const CART_COUNT_COOKIE = 'sf_cart_n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
const YEAR = 60 * 60 * 24 * 365;

type Ctx = Context<WebEnv>;

export interface GuestCartRef {
  readonly id: string;
  readonly token: string;
}

/** A cart started or forgotten during this request (the request's cookie still shows the old state). */
const changedThisRequest = new WeakMap<Ctx, GuestCartRef | null>();

/** The guest cart in this browser's cookie, if it looks like one. */
export function guestCartRef(c: Ctx): GuestCartRef | undefined {
  const fresh = changedThisRequest.get(c);
  if (fresh !== undefined) return fresh ?? undefined;
  const raw = getCookie(c, CART_COOKIE);
  if (!raw) return undefined;
  const dot = raw.indexOf('.');
  const id = raw.slice(0, dot);
  const token = raw.slice(dot + 1);
  return dot > 0 && UUID.test(id) && TOKEN.test(token) ? { id, token } : undefined;
}

function writeGuestCart(c: Ctx, ref: GuestCartRef | undefined): void {
  changedThisRequest.set(c, ref ?? null);
  if (ref) {
    setCookie(c, CART_COOKIE, `${ref.id}.${ref.token}`, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.get('config').COOKIE_SECURE,
      path: '/',
      maxAge: YEAR,
    });
  } else {
    deleteCookie(c, CART_COOKIE, { path: '/' });
  }
}

export function itemCount(cart: Pick<Cart, 'lines'> | undefined): number {
  return (cart?.lines ?? []).reduce((n, l) => n + l.quantity, 0);
}

/** The header's cart badge (a hint only; readable by script, carries nothing secret). */
export function setCartCount(c: Ctx, n: number): void {
  setCookie(c, CART_COUNT_COOKIE, String(Math.max(0, Math.min(9999, n))), {
    sameSite: 'Lax',
    secure: c.get('config').COOKIE_SECURE,
    path: '/',
    maxAge: YEAR,
  });
}

/** The headers a cart call needs: the guest token, or nothing (the identity cookies go anyway). */
export function cartHeaders(c: Ctx): Record<string, string | undefined> {
  if (c.get('viewer')) return {};
  return { 'x-cart-token': guestCartRef(c)?.token };
}

/**
 * A call on the shopper's cart (`suffix` like `/lines`). A change refused while the cart reopens
 * after a cancelled order is tried again for a moment (`retryWhileReopening`).
 */
export function cartCall<T = Cart>(
  c: Ctx,
  cartId: string,
  method: string,
  suffix: string,
  json?: unknown,
): Promise<ApiResult<T>> {
  const call = () =>
    c.get('api').call<T>(c, method, `/api/cart/carts/${cartId}${suffix}`, { json, headers: cartHeaders(c) });
  return method === 'GET' ? call() : retryWhileReopening(c, cartId, call);
}

export interface MergeOutcome {
  readonly merged: boolean;
  /** SKUs whose quantity was capped at the line limit. */
  readonly capped: readonly string[];
  /** SKUs left out (no longer sold, cart full). */
  readonly dropped: readonly string[];
}

/**
 * Moves the guest cart of this browser into the signed-in customer's cart and forgets the guest
 * cart cookie. For the account pages to call right after a successful sign-in: the request does
 * not carry the new identity cookies yet, so pass the session from the login answer
 * (`accessToken`, `csrfToken`); without it the request's own cookies are used. Never throws; the
 * cart pages also merge lazily when a signed-in shopper still has a guest cart cookie.
 */
export async function mergeGuestCart(
  c: Ctx,
  session?: { readonly accessToken: string; readonly csrfToken: string },
): Promise<MergeOutcome> {
  const none: MergeOutcome = { merged: false, capped: [], dropped: [] };
  const ref = guestCartRef(c);
  if (!ref) return none;
  const headers = session
    ? { cookie: `sf_at=${session.accessToken}; sf_csrf=${session.csrfToken}`, 'x-csrf-token': session.csrfToken }
    : undefined;
  let r: ApiResult<{ cart: Cart; capped: string[]; dropped: string[] }>;
  try {
    r = await retryWhileReopening(c, ref.id, () =>
      c.get('api').call(c, 'POST', '/api/cart/carts/merge', { json: { cartId: ref.id, token: ref.token }, headers }),
    );
  } catch {
    return none;
  }
  if (r.ok && r.body?.cart) {
    writeGuestCart(c, undefined);
    setCartCount(c, itemCount(r.body.cart));
    return { merged: true, capped: r.body.capped ?? [], dropped: r.body.dropped ?? [] };
  }
  // The guest cart is gone, already merged or checked out: nothing left to move. (One still
  // reopening after a cancelled order stays: the next cart page merges it.)
  const reopeningStill = r.problem?.code === 'cart_reopening';
  if (r.status === 404 || (r.status === 409 && !reopeningStill) || r.status === 410) writeGuestCart(c, undefined);
  return none;
}

/**
 * Carts after a checkout. The cart service closes a cart as `ordered` when it hears the order
 * placed from it, and opens it again when that order is cancelled (a declined card), unless the
 * customer has started another cart meanwhile. Both happen by event, a moment after the fact, so:
 * - a cart closed by a live order is done with: a guest cookie pointing at one is dropped (the
 *   next add starts a new cart), and `/carts/mine` never answers one (a customer's next add
 *   starts a new cart too);
 * - a cart closed by an order that has been cancelled is about to open again ("reopening"): it is
 *   kept (a customer finds it through the `sf_placed` cookie, as `mine` does not answer it yet),
 *   and a change or checkout it refuses meanwhile (409 `cart_ordered`, `cart_already_ordered`)
 *   is tried again after a short wait, a few times (`retryWhileReopening`).
 */
const WENT_THROUGH = new Set(['processing', 'confirmed', 'shipped', 'delivered']);
/** Waits between tries while a cart reopens (about 3 s in all). */
const REOPEN_WAITS_MS = [100, 200, 300, 500, 800, 1000];

/** An order of this shopper (a guest's with its token from web's cookie), if the orders API shows it. */
async function orderOf(c: Ctx, orderId: string): Promise<Order | undefined> {
  const r = await c.get('api').call<Order>(c, 'GET', `/api/orders/orders/${orderId}`, {
    headers: { 'x-order-token': orderTokenFor(c, orderId) },
  });
  return r.ok ? r.body : undefined;
}

/** Is this cart closed by an order that was cancelled since, so that it opens again shortly? */
async function reopening(c: Ctx, cart: Cart): Promise<boolean> {
  if (cart.status !== 'ordered' || !cart.orderId) return false;
  return (await orderOf(c, cart.orderId))?.status === 'cancelled';
}

/** A cart read with whatever proves it is ours: the guest token when it is the cookie's cart. */
function readCart(c: Ctx, cartId: string): Promise<ApiResult<Cart>> {
  const ref = guestCartRef(c);
  return c.get('api').call<Cart>(c, 'GET', `/api/cart/carts/${cartId}`, {
    headers: ref?.id === cartId ? { 'x-cart-token': ref.token } : {},
  });
}

const CLOSED_BY_ORDER = new Set(['cart_ordered', 'cart_already_ordered']);
const closedByOrder = (r: ApiResult<unknown>) => r.status === 409 && CLOSED_BY_ORDER.has(r.problem?.code ?? '');

/**
 * Runs `attempt` (a change to the cart, or the checkout) and, when the cart refuses because an
 * order closed it and that order has been cancelled, waits for the cart service to open it again
 * and tries again (bounded). A refusal for a live order comes straight back; one still there
 * after the waits comes back as 409 `cart_reopening` (a kind "try again in a moment").
 */
export async function retryWhileReopening<T>(
  c: Ctx,
  cartId: string,
  attempt: () => Promise<ApiResult<T>>,
): Promise<ApiResult<T>> {
  let r = await attempt();
  if (!closedByOrder(r)) return r;
  const cart = await readCart(c, cartId);
  if (!cart.ok) return r;
  if (cart.body.status === 'open') return attempt();
  if (!(await reopening(c, cart.body))) return r;
  for (const ms of REOPEN_WAITS_MS) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    r = await attempt();
    if (!closedByOrder(r)) return r;
  }
  c.get('log')?.warn({ cartId }, 'cart still closed by a cancelled order after waiting for it to reopen');
  return {
    ...r,
    problem: {
      status: 409,
      code: 'cart_reopening',
      detail: 'the cart is still closed by a cancelled order; it opens again shortly',
    },
  };
}

/**
 * A customer whose `mine` is empty may have a cart that is reopening: the one the last order from
 * this browser came from (`sf_placed`). Once that order went through, the cookie has done its job.
 */
async function reopeningPlacedCart(c: Ctx): Promise<Cart | undefined> {
  const placed = placedOrder(c);
  if (!placed) return undefined;
  const r = await readCart(c, placed.cartId);
  if (!r.ok) {
    if (r.status === 404) forgetPlaced(c);
    return undefined;
  }
  if (r.body.status === 'open') return r.body;
  if (r.body.status !== 'ordered' || !r.body.orderId) return undefined;
  const order = await orderOf(c, r.body.orderId);
  if (order?.status === 'cancelled') return r.body;
  if (order && WENT_THROUGH.has(order.status)) forgetPlaced(c);
  return undefined;
}

/** The order page saw `orderId` go through payment: if it came from this browser's cart, look again (it is done with). */
export async function orderWentThrough(c: Ctx, orderId: string): Promise<void> {
  if (placedOrder(c)?.orderId !== orderId) return;
  await loadCart(c).catch(() => undefined);
}

/**
 * The shopper's cart, re-priced by the cart service, or undefined when there is none: open, or
 * reopening after a cancelled order (see above). A guest cart that is gone, merged or checked out
 * is forgotten. Other API failures throw (the page says so).
 */
export async function loadCart(c: Ctx): Promise<Cart | undefined> {
  const api = c.get('api');
  let cart: Cart | undefined;
  if (c.get('viewer')) {
    if (guestCartRef(c)) await mergeGuestCart(c);
    const r = await api.call<Cart>(c, 'GET', '/api/cart/carts/mine');
    if (r.status === 404) cart = await reopeningPlacedCart(c);
    else if (r.problem) throw new ApiError(r.problem);
    else cart = r.body;
  } else {
    const ref = guestCartRef(c);
    if (!ref) return undefined;
    const r = await readCart(c, ref.id);
    if (r.status === 404) {
      writeGuestCart(c, undefined);
    } else if (r.problem) {
      throw new ApiError(r.problem);
    } else if (r.body.status === 'open' || (await reopening(c, r.body))) {
      cart = r.body;
    } else {
      // Merged at a sign-in, or checked out: the next add starts a new cart.
      writeGuestCart(c, undefined);
    }
  }
  setCartCount(c, itemCount(cart));
  return cart;
}

/** The shopper's cart, started now if there is none (in the shop's currency). */
export async function ensureCart(c: Ctx): Promise<Cart> {
  const existing = await loadCart(c);
  if (existing) return existing;
  const created = await c.get('api').must<{ cart: Cart; token: string | null }>(c, 'POST', '/api/cart/carts', {
    json: { currency: c.get('config').SHOP_CURRENCY },
  });
  if (!c.get('viewer') && created.token) writeGuestCart(c, { id: created.cart.id, token: created.token });
  return created.cart;
}

/** After a change the API answered with the new cart: keep the header count in step. */
export function cartChanged(c: Ctx, cart: Cart | undefined): void {
  setCartCount(c, itemCount(cart));
}
