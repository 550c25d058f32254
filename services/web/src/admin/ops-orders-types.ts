import type { Order } from '../order-types.ts';

/** The orders, payments and fulfillment APIs' shapes as the order pages read them. */

/** The order itself is the orders API's, shared with the shop's order page. */
export { type Address, ORDER_STATUSES, type Order } from '../order-types.ts';

export interface Refund {
  readonly id: string;
  readonly source: 'staff' | 'return' | 'cancellation';
  readonly status: 'requested' | 'refunded' | 'failed';
  readonly amount: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly failure: string | null;
  readonly requestedBy: string | null;
  readonly returnId: string | null;
  readonly at: string | null;
}
export interface Detail {
  readonly order: Order;
  readonly saga: {
    step: string;
    state: string;
    attempts: number;
    lastError: string | null;
    deadline: string | null;
  } | null;
  readonly notes: readonly { id: number; author: string | null; body: string; createdAt: string }[];
  readonly refunds: readonly Refund[];
}
export interface MoneyValue {
  readonly amount: number;
  readonly currency: string;
}
export interface Payment {
  readonly id: string;
  readonly provider: string;
  readonly state: string;
  readonly amount: MoneyValue;
  readonly captured: MoneyValue;
  readonly refunded: MoneyValue;
  readonly card: { brand: string; last4: string } | null;
  readonly decline: { code: string; message: string } | null;
  readonly refunds: readonly { id: string; amount: MoneyValue; state: string; reason: string; createdAt: string }[];
  readonly createdAt: string;
}
export interface Shipment {
  readonly id: string;
  readonly kind: 'outbound' | 'return';
  readonly location: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly status: string;
  readonly lines: readonly { sku: string; qty: number }[];
  readonly deliveredAt: string | null;
  readonly timeline: readonly { status: string; at: string; detail: string | null }[];
}
export interface Return {
  readonly id: string;
  readonly orderId: string;
  readonly status: string;
  readonly lines: readonly { sku: string; qty: number; reason: string }[];
  readonly label: { carrier: string; trackingNumber: string; labelUrl: string } | null;
  readonly refundAmount: number | null;
  readonly restocked: boolean;
  readonly createdAt: string;
}

/** What staff can still refund: the total less what was refunded and what is being refunded. */
export function refundable(d: Detail): number {
  const inFlight = d.refunds.filter((r) => r.status === 'requested').reduce((n, r) => n + r.amount, 0);
  return Math.max(0, d.order.totals.total - d.order.refunded - inFlight);
}
