/** An order as the orders API shows it (its `orderView`), read by the shop's and the staff's order pages. */

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
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Address {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly region?: string;
  readonly postalCode: string;
  readonly country: string;
  readonly phone?: string;
}

export interface OrderLine {
  readonly sku: string;
  readonly productId: string;
  readonly name: string | null;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number;
}

export interface Order {
  readonly id: string;
  readonly number: string;
  readonly status: OrderStatus;
  readonly statusReason: string | null;
  readonly actionUrl: string | null;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
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
