import type { Address, Money } from '@storefront/contracts';

/**
 * Orders' pure types and rules. Time and ids come in as arguments. The saga's state machine is in
 * saga-machine.ts; the return and refund rules in returns-rules.ts.
 */

/** What the customer sees. `processing`: paid for, being committed, captured and handed to the carrier. */
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

export interface OrderLine {
  readonly sku: string;
  readonly productId: string;
  readonly name: string | null;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly subtotal: number;
  readonly discount: number;
  /** subtotal − discount, before tax. */
  readonly total: number;
  readonly tax: number;
}

export interface Totals {
  readonly subtotal: number;
  readonly discount: number;
  readonly shipping: number;
  readonly tax: number;
  readonly total: number;
}

export interface AppliedPromotion {
  readonly id: string;
  readonly code: string | null;
  readonly name: string;
  readonly discount: number;
}

export interface ShipmentRef {
  readonly shipmentId: string;
  readonly location: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly status: string;
  readonly deliveredAt: string | null;
}

export interface Order {
  readonly id: string;
  readonly number: string;
  readonly customerId: string | null;
  readonly email: string | null;
  readonly cartId: string;
  readonly status: OrderStatus;
  readonly statusReason: string | null;
  readonly actionUrl: string | null;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly promotions: readonly AppliedPromotion[];
  readonly totals: Totals;
  readonly address: Address;
  readonly shippingMethod: string;
  readonly paymentMethod: string;
  readonly returnUrl: string;
  readonly shipments: readonly ShipmentRef[];
  readonly refunded: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly confirmedAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly shippedAt: Date | null;
  readonly deliveredAt: Date | null;
}

export const money = (amount: number, currency: string): Money => ({ amount, currency });

/**
 * A short human order number from the time-ordered id: its 48-bit millisecond (12 hex digits, so
 * numbers sort by time) and 16 of its random bits, as orders placed in the same millisecond are
 * common. Two can still meet (1 in 65,536 for a pair in one millisecond): checkout then places the
 * order again under a new id.
 */
export function orderNumber(id: string): string {
  const hex = id.replaceAll('-', '');
  // Skips the version digit (12) and the variant digit (16), which are not random.
  return `SF-${hex.slice(0, 12)}${hex.slice(13, 16)}${hex.slice(17, 18)}`.toUpperCase();
}

/** Who is reading: a customer sees their own orders, a guest one order by its secret, staff everything. */
export type Reader =
  | { readonly kind: 'customer'; readonly id: string }
  | { readonly kind: 'guest'; readonly orderId: string }
  | { readonly kind: 'staff'; readonly id: string };

export function canRead(reader: Reader, o: Pick<Order, 'id' | 'customerId'>): boolean {
  if (reader.kind === 'staff') return true;
  if (reader.kind === 'guest') return reader.orderId === o.id && o.customerId === null;
  return o.customerId === reader.id;
}

/** A decline code as the customer reads it: `insufficient_funds` → "card declined: insufficient funds". */
export function declineReason(code: string): string {
  if (code === 'card_declined') return 'card declined';
  if (code === 'capture_failed') return 'payment could not be completed';
  return `card declined: ${code.replaceAll('_', ' ')}`.slice(0, 500);
}

/** Staff may cancel until a parcel has left: after that it is a return. */
export function cancellable(o: Pick<Order, 'status' | 'shipments'>): boolean {
  if (o.status === 'cancelled' || o.status === 'cancelling' || o.status === 'shipped' || o.status === 'delivered') {
    return false;
  }
  return o.shipments.every((s) => s.status === 'label_created' || s.status === 'created');
}
