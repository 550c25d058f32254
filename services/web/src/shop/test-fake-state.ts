import type { Call } from '../test-gateway.ts';
import { IMG, SLUG } from './test-fixtures.ts';

/** The fake's state (carts, orders, forced failures) and how the cart and order APIs show it. */

export interface FakeCart {
  id: string;
  token: string;
  customer: string | null;
  lines: { sku: string; quantity: number; seen: number }[];
  shippingOption: string | null;
  taxRegion: string | null;
  code: string | null;
  status: 'open' | 'merged' | 'ordered';
  /** The order that closed it (while `ordered`). */
  orderId: string | null;
  /** When the fake "hears" the cancellation of that order and opens the cart again (ms since epoch). */
  reopenAt: number | null;
}

export interface FakeOrder {
  id: string;
  key: string;
  token: string;
  cartId: string;
  customer: string | null;
  status: string;
  statusReason: string | null;
  actionUrl: string | null;
  body: unknown;
}

export interface FakeState {
  carts: Map<string, FakeCart>;
  orders: FakeOrder[];
  /** Force a failure: path prefix → response. */
  fail: Map<string, () => Response>;
  price: number;
  nextCart: number;
  /**
   * How long after a cancelled order its cart opens again (the cart service hears
   * order.cancelled.v1 a moment later); Infinity: never.
   */
  reopenDelayMs: number;
}

/** Applies the order events that are due: a cart closed by a cancelled order opens again, unless its customer has another open cart. */
export function settleCarts(s: FakeState): void {
  for (const cart of s.carts.values()) {
    if (cart.status !== 'ordered' || cart.reopenAt === null || Date.now() < cart.reopenAt) continue;
    cart.reopenAt = null;
    const other = [...s.carts.values()].some((c) => c !== cart && c.customer === cart.customer && c.status === 'open');
    if (cart.customer && other) continue;
    cart.status = 'open';
    cart.orderId = null;
  }
}

export function cartView(s: FakeState, cart: FakeCart) {
  const lines = cart.lines.map((l) => {
    const unit = s.price;
    const subtotal = unit * l.quantity;
    return {
      sku: l.sku,
      productId: 'p-1',
      slug: SLUG,
      name: `Aurion Pro Headphones (${l.sku.endsWith('BLK') ? 'Black' : 'White'})`,
      image: IMG,
      quantity: l.quantity,
      unitPrice: unit,
      seenUnitPrice: l.seen,
      priceChanged: unit !== l.seen,
      available: true,
      subtotal,
      discount: 0,
      total: subtotal,
      tax: cart.taxRegion ? Math.round(subtotal * 0.0725) : null,
    };
  });
  const subtotal = lines.reduce((n, l) => n + l.subtotal, 0);
  const discount = cart.code ? Math.round(subtotal / 10) : 0;
  const options = [
    { id: 'standard', name: 'Standard (3–5 working days)', price: 599, amount: subtotal - discount >= 5000 ? 0 : 599 },
    { id: 'express', name: 'Express (next working day)', price: 1999, amount: 1999 },
    { id: 'pickup', name: 'Pick up in store', price: 0, amount: 0 },
  ];
  const shipping = cart.shippingOption ? (options.find((o) => o.id === cart.shippingOption)?.amount ?? 0) : null;
  const tax = cart.taxRegion ? Math.round((subtotal - discount) * 0.0725) : null;
  const merchandise = subtotal - discount;
  return {
    id: cart.id,
    status: cart.status,
    orderId: cart.status === 'ordered' ? cart.orderId : null,
    owner: cart.customer ? 'customer' : 'guest',
    mergedInto: null,
    currency: 'USD',
    pricing: 'live',
    lines,
    priceChanges: lines.filter((l) => l.priceChanged).length,
    code: cart.code ? { code: cart.code, applied: true, reasonCode: null, reason: null } : null,
    promotions: cart.code
      ? [{ id: 'promo-1', code: cart.code, name: '10% off', kind: 'percentage', discount, shippingDiscount: 0 }]
      : [],
    shippingOptions: options,
    shippingOption: cart.shippingOption,
    taxRegion: cart.taxRegion,
    totals: {
      subtotal,
      lineDiscount: 0,
      orderDiscount: discount,
      discount,
      merchandise,
      shipping,
      tax,
      total: shipping === null || tax === null ? null : merchandise + shipping + tax,
      estimatedTotal: merchandise + (shipping ?? 0) + (tax ?? 0),
    },
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

export function orderView(s: FakeState, o: FakeOrder) {
  // biome-ignore lint/suspicious/noExplicitAny: the fake reads back what the page sent.
  const b = o.body as any;
  return {
    id: o.id,
    number: `SF-${o.id.slice(0, 8).toUpperCase()}`,
    status: o.status,
    statusReason: o.statusReason,
    actionUrl: o.actionUrl,
    customerId: o.customer,
    email: b.email ?? null,
    currency: 'USD',
    lines: [
      {
        sku: 'AUR-1-BLK',
        productId: 'p-1',
        name: 'Aurion Pro <Headphones>',
        quantity: 1,
        unitPrice: s.price,
        subtotal: s.price,
        discount: 0,
        total: s.price,
        tax: 0,
      },
    ],
    promotions: [],
    totals: { subtotal: s.price, discount: 0, shipping: 0, tax: 0, total: s.price },
    refunded: 0,
    address: b.address,
    shippingMethod: b.shippingMethod,
    shipments: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    confirmedAt: null,
    cancelledAt: null,
    shippedAt: null,
    deliveredAt: null,
  };
}

export function subjectOf(call: Call): string | null {
  const m = (call.headers.get('cookie') ?? '').match(/sf_at=([^;]+)/);
  if (!m?.[1]) return null;
  try {
    const payload = JSON.parse(Buffer.from(m[1].split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}
