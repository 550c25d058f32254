import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Caller } from '@storefront/kit';
import { ValidationFailed } from '@storefront/kit';
import type { CartQuote } from './cart-client.ts';
import { type Order, orderNumber } from './domain.ts';
import { CartRefused } from './errors.ts';
import type { CheckoutInput } from './schemas.ts';

/** Checkout's pure rules: the order snapshot from a cart quote, idempotency scope and hash, guest tokens. */

/** One key namespace per shopper, so two shoppers' keys never collide (or reveal each other's orders). */
export function idempotencyScope(caller: Caller | undefined, cartId: string): string {
  return caller ? `customer:${caller.id}` : `guest:${cartId}`;
}

/** Same key + same body (+ same cart credential) = same request. */
export function requestHash(input: CheckoutInput, cartToken: string | undefined): string {
  const canonical = JSON.stringify(input, Object.keys(flatten(input)).sort());
  return createHash('sha256')
    .update(canonical)
    .update('\u0000')
    .update(cartToken ?? '')
    .digest('hex');
}

function flatten(v: unknown, out: Record<string, true> = {}): Record<string, true> {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out[k] = true;
      flatten(x, out);
    }
  }
  return out;
}

/** The order as bought: the quote's lines, discounts, tax, shipping and totals, frozen. */
export function orderFromQuote(
  q: CartQuote,
  input: CheckoutInput,
  a: { id: string; customerId: string | null; now: Date },
): Order {
  const lines = q.lines.filter((l) => l.available);
  if (lines.length === 0) throw new CartRefused(409, 'cart_empty', 'the cart is empty', {});
  if (q.shippingOption !== input.shippingMethod) {
    throw new CartRefused(
      409,
      'shipping_method_mismatch',
      `the cart's shipping option is ${q.shippingOption ?? 'not chosen'}`,
      {
        cartShippingOption: q.shippingOption,
      },
    );
  }
  const t = q.totals;
  if (t.total === null || t.shipping === null || t.tax === null) {
    throw new CartRefused(409, 'checkout_incomplete', 'choose a shipping option and a tax region first', {});
  }
  if (!a.customerId && !input.email) {
    throw new ValidationFailed('body.email: a guest checkout needs an email', [
      { path: 'body.email', message: 'required for a guest' },
    ]);
  }
  return {
    id: a.id,
    number: orderNumber(a.id),
    customerId: a.customerId,
    email: input.email ?? null,
    cartId: q.id,
    status: 'pending',
    statusReason: null,
    actionUrl: null,
    currency: q.currency,
    lines: lines.map((l) => ({
      sku: l.sku,
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      subtotal: l.subtotal,
      discount: l.discount,
      total: l.total,
      tax: l.tax ?? 0,
    })),
    promotions: q.promotions.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      discount: p.discount + p.shippingDiscount,
    })),
    totals: { subtotal: t.subtotal, discount: t.discount, shipping: t.shipping, tax: t.tax, total: t.total },
    address: input.address,
    shippingMethod: input.shippingMethod,
    paymentMethod: input.paymentMethod,
    returnUrl: input.returnUrl,
    shipments: [],
    refunded: 0,
    createdAt: a.now,
    updatedAt: a.now,
    confirmedAt: null,
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
  };
}

/** A guest's secret for one order: derived, not stored, so a replayed checkout can answer it again. */
export function orderToken(secret: string, orderId: string): string {
  return createHmac('sha256', secret).update(`order:${orderId}`).digest('base64url');
}

export function validOrderToken(secret: string, orderId: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(orderToken(secret, orderId));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
