/** The orders, payments and fulfillment APIs' shapes as the order pages read them. */

export const ORDER_STATUSES = [
  'pending',
  'pending_payment',
  'payment_action_required',
  'processing',
  'confirmed',
  'shipped',
  'delivered',
  'cancelling',
  'cancelled',
] as const;

export interface Line {
  readonly sku: string;
  readonly name: string | null;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number;
}
export interface Address {
  readonly name?: string;
  readonly line1?: string;
  readonly line2?: string;
  readonly city?: string;
  readonly region?: string;
  readonly postalCode?: string;
  readonly country?: string;
  readonly phone?: string;
}
export interface Order {
  readonly id: string;
  readonly number: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly currency: string;
  readonly lines: readonly Line[];
  readonly promotions: readonly { id: string; code: string | null; name: string; discount: number }[];
  readonly totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  readonly refunded: number;
  readonly address: Address;
  readonly shippingMethod: string;
  readonly shipments: readonly {
    shipmentId: string;
    location: string;
    carrier: string;
    trackingNumber: string;
    status: string;
    deliveredAt: string | null;
  }[];
  readonly createdAt: string;
  readonly confirmedAt: string | null;
  readonly cancelledAt: string | null;
  readonly shippedAt: string | null;
  readonly deliveredAt: string | null;
}
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
