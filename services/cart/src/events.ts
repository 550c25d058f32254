import type { Broadcast, Logger, Outbox, Queryable } from '@storefront/kit';
import type { CatalogClient } from './catalog-client.ts';
import type { CartLine, StoredCart } from './domain.ts';

/**
 * What the cart publishes (through the outbox, in the transaction of the change) and what it
 * hears by broadcast: catalog price and product events, on every replica, to drop cached SKU
 * prices. Its one durable consumer (orders placed and cancelled) is in order-events.ts.
 */

export function lineAdded(outbox: Outbox, tx: Queryable, cart: StoredCart, line: CartLine, added: number) {
  return outbox.add(tx, 'cart.line-added.v1', {
    cartId: cart.id,
    customerId: cart.customerId,
    sku: line.sku,
    productId: line.productId,
    quantity: added,
    lineQuantity: line.quantity,
    unitPrice: line.unitPrice,
    currency: cart.currency,
  });
}

export function lineRemoved(
  outbox: Outbox,
  tx: Queryable,
  cart: StoredCart,
  line: Pick<CartLine, 'sku' | 'productId'>,
  removed: number,
  left: number,
) {
  return outbox.add(tx, 'cart.line-removed.v1', {
    cartId: cart.id,
    customerId: cart.customerId,
    sku: line.sku,
    productId: line.productId,
    quantity: removed,
    lineQuantity: left,
    currency: cart.currency,
  });
}

export function cartMerged(outbox: Outbox, tx: Queryable, cartId: string, customerId: string, guestCartId: string) {
  return outbox.add(tx, 'cart.merged.v1', { cartId, customerId, guestCartId });
}

export function promotionUse(
  outbox: Outbox,
  tx: Queryable,
  subject: 'promotion.redeemed.v1' | 'promotion.released.v1',
  use: { promotionId: string; code: string | null; orderId: string; customerId: string | null },
) {
  return outbox.add(tx, subject, use);
}

/** A staff change to promotions, for identity's audit log. */
export function audited(
  outbox: Outbox,
  tx: Queryable,
  a: { action: string; actorId: string; promotionId: string; at: Date; requestId?: string; details?: object },
) {
  return outbox.add(tx, 'audit.recorded.v1', {
    service: 'cart',
    action: a.action,
    actor: { id: a.actorId, type: 'account' },
    target: { type: 'promotion', id: a.promotionId },
    outcome: 'success',
    occurredAt: a.at.toISOString(),
    ...(a.requestId ? { requestId: a.requestId } : {}),
    ...(a.details ? { details: { ...a.details } } : {}),
  });
}

const PRICE_SUBJECTS = ['product.price-changed.v1'] as const;
const PRODUCT_SUBJECTS = ['product.updated.v1', 'product.deleted.v1'] as const;

/** Every replica drops cached SKU prices an event makes stale; the cache's TTL covers a missed one. */
export function invalidateOnEvents(broadcast: Broadcast, catalog: CatalogClient, log: Logger): void {
  broadcast.on(PRICE_SUBJECTS, (event) => {
    catalog.forgetSku(event.payload.sku);
    log.debug({ sku: event.payload.sku }, 'cached sku price dropped');
  });
  broadcast.on(PRODUCT_SUBJECTS, (event) => {
    catalog.forgetProduct(event.payload.productId);
  });
}
