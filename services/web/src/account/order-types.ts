/** The order, shipment, payment and return shapes the account pages read (see /api/openapi.json). */

// The order itself is the shop's and the staff's type too (one copy of the orders API's shape).
export type { Address, Order, OrderLine, OrderStatus } from '../order-types.ts';

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
