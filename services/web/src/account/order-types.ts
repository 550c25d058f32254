/** The order, shipment, payment and return shapes the account pages read (see /api/openapi.json). */

export type OrderStatus =
  | 'pending'
  | 'pending_payment'
  | 'payment_action_required'
  | 'processing'
  | 'confirmed'
  | 'shipped'
  | 'delivered'
  | 'cancelling'
  | 'cancelled';

export interface OrderLine {
  sku: string;
  productId: string;
  name: string | null;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  total: number;
  tax: number;
}

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
  phone?: string;
}

export interface Order {
  id: string;
  number: string;
  status: OrderStatus;
  statusReason: string | null;
  actionUrl: string | null;
  email: string | null;
  currency: string;
  lines: OrderLine[];
  promotions: { id: string; code: string | null; name: string; discount: number }[];
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  refunded: number;
  address: Address;
  shippingMethod: string;
  createdAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
}

export type ShipmentStatus =
  | 'label_created'
  | 'picked_up'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'cancelled';

export interface Shipment {
  id: string;
  kind: 'outbound' | 'return';
  returnId: string | null;
  location: string;
  lines: { sku: string; qty: number }[];
  method: string;
  carrier: string;
  trackingNumber: string;
  labelUrl: string | null;
  status: ShipmentStatus;
  deliveredAt: string | null;
  createdAt: string;
  timeline: {
    status: ShipmentStatus | 'exception';
    at: string;
    detail: string | null;
    source: string;
    applied: boolean;
  }[];
}

export interface Money {
  amount: number;
  currency: string;
}

export interface Payment {
  id: string;
  provider: string;
  state:
    | 'pending'
    | 'requires_action'
    | 'authorized'
    | 'captured'
    | 'partially_refunded'
    | 'refunded'
    | 'voided'
    | 'declined'
    | 'failed';
  amount: Money;
  captured: Money;
  refunded: Money;
  card: { brand: string; last4: string } | null;
  decline: { code: string; message: string } | null;
  refunds: {
    id: string;
    amount: Money;
    state: 'pending' | 'succeeded' | 'failed';
    reason: string;
    createdAt: string;
  }[];
  createdAt: string;
}

export type ReturnStatus =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'label_created'
  | 'received'
  | 'refunding'
  | 'refunded'
  | 'refund_failed';

export interface OrderReturn {
  id: string;
  orderId: string;
  status: ReturnStatus;
  lines: { sku: string; qty: number; reason: string }[];
  label: { carrier: string; trackingNumber: string; labelUrl: string } | null;
  refundAmount: number | null;
  restocked: boolean;
  createdAt: string;
}
