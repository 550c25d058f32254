import type { EventEnvelope } from '@storefront/contracts';
import type { Bus, EventContext } from '@storefront/kit';
import type { CartCache } from './cart-cache.ts';
import type { StoredCart } from './domain.ts';
import * as store from './store.ts';

/**
 * The cart hears the orders placed from it (durable consumer `cart-orders`, inbox-deduplicated,
 * in stream order): `order.placed.v1` closes the cart as `ordered` (its `orderId` recorded), and
 * `order.cancelled.v1` of THAT order opens it again, so the shopper can retry with another card —
 * unless the customer has started another cart meanwhile (one open cart per customer): then the
 * old one stays closed and the new one is theirs.
 *
 * Retries and redrives reorder events, so neither handler trusts arrival order: a cancellation is
 * remembered (`cancelled_orders`) and a later-arriving placement of that order changes nothing; a
 * placement only takes over a cart another order closed when it is the newer one (orders allows
 * one live order per cart, so the older one was cancelled and its event is still on the way).
 */

export const ORDER_SUBJECTS = ['order.placed.v1', 'order.cancelled.v1'] as const;
type OrderSubject = (typeof ORDER_SUBJECTS)[number];

export interface OrderEventDeps {
  readonly cache: CartCache;
  readonly clock: () => Date;
}

export function subscribeOrderEvents(bus: Bus, deps: OrderEventDeps): void {
  bus.subscribe('orders', ORDER_SUBJECTS, (event, ctx) => applyOrderEvent(deps, event, ctx));
}

export async function applyOrderEvent(
  deps: OrderEventDeps,
  event: EventEnvelope<OrderSubject>,
  ctx: EventContext,
): Promise<void> {
  if (event.subject === 'order.placed.v1') return placed(deps, event as EventEnvelope<'order.placed.v1'>, ctx);
  return cancelled(deps, event as EventEnvelope<'order.cancelled.v1'>, ctx);
}

async function placed(deps: OrderEventDeps, event: EventEnvelope<'order.placed.v1'>, ctx: EventContext) {
  const { orderId, cartId } = event.payload;
  const log = ctx.log.child({ orderId, cartId });
  // Events from before orders named the cart cannot be matched to one.
  if (!cartId) return;
  if (await store.isCancelledOrder(ctx.tx, orderId)) {
    log.info('order placed after its cancellation was heard: the cart stays as it is');
    return;
  }
  const cart = await store.lockCart(ctx.tx, cartId);
  if (!cart) {
    log.warn('order placed from a cart we do not have');
    return;
  }
  const at = new Date(event.occurredAt);
  if (cart.status === 'merged') {
    log.warn('order placed from a cart merged since: left merged');
    return;
  }
  if (cart.status === 'ordered') {
    if (cart.orderId === orderId) return;
    if (cart.orderedAt && Date.parse(cart.orderedAt) >= at.getTime()) {
      log.info({ current: cart.orderId }, 'an older order placed from a cart a newer order closed: ignored');
      return;
    }
  }
  const updated = await store.touchCart(ctx.tx, cart.id, deps.clock(), { status: 'ordered', orderId, orderedAt: at });
  await cachePut(deps, updated);
}

async function cancelled(deps: OrderEventDeps, event: EventEnvelope<'order.cancelled.v1'>, ctx: EventContext) {
  const { orderId } = event.payload;
  await store.recordCancelledOrder(ctx.tx, orderId, new Date(event.occurredAt));
  const cart = await store.lockCartOrderedBy(ctx.tx, orderId);
  if (cart?.status !== 'ordered') return;
  const log = ctx.log.child({ orderId, cartId: cart.id });
  if (cart.customerId && (await store.openCartOf(ctx.tx, cart.customerId))) {
    log.info('order cancelled, but its customer has another open cart: this one stays closed');
    return;
  }
  // A cart the customer starts at this very moment wins the one open slot (unique index): then
  // this one stays closed, as above, instead of failing the event.
  await ctx.tx.query('SAVEPOINT reopen');
  try {
    const updated = await store.touchCart(ctx.tx, cart.id, deps.clock(), {
      status: 'open',
      orderId: null,
      orderedAt: null,
    });
    await ctx.tx.query('RELEASE SAVEPOINT reopen');
    await cachePut(deps, updated);
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    await ctx.tx.query('ROLLBACK TO SAVEPOINT reopen');
    log.info('order cancelled while its customer started another cart: this one stays closed');
  }
}

/**
 * The read cache gets the new version before the inbox transaction commits (there is no hook
 * after it): a read racing the commit then cannot put the old version back for a TTL. Should the
 * commit fail, the redelivery writes the same change again under a newer version.
 */
async function cachePut(deps: OrderEventDeps, cart: StoredCart): Promise<void> {
  await deps.cache.put(cart);
}
