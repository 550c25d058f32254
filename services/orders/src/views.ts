import type { Order } from './domain.ts';

/** An order as the API shows it. The payment method token is never echoed. */
export function orderView(o: Order) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    statusReason: o.statusReason,
    actionUrl: o.actionUrl,
    customerId: o.customerId,
    email: o.email,
    currency: o.currency,
    lines: [...o.lines],
    promotions: [...o.promotions],
    totals: o.totals,
    refunded: o.refunded,
    address: o.address,
    shippingMethod: o.shippingMethod,
    shipments: [...o.shipments],
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    confirmedAt: iso(o.confirmedAt),
    cancelledAt: iso(o.cancelledAt),
    shippedAt: iso(o.shippedAt),
    deliveredAt: iso(o.deliveredAt),
  };
}
