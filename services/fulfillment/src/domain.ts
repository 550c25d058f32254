import type { Address, EventPayload } from '@storefront/contracts';

/**
 * Fulfillment's rules as pure functions: how a carrier's report moves a shipment, when an order's
 * shipments may be cancelled, and who may read a shipment. Time and ids come in as arguments.
 */

/** What a carrier may report (the contract's enum): progress, plus `exception` and `cancelled`. */
export type ReportedStatus = EventPayload<'shipment.status-changed.v1'>['status'];
export const REPORTED_STATUSES = [
  'label_created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'cancelled',
] as const satisfies readonly ReportedStatus[];

/** What a shipment can be in: an exception is an incident on the way, not a place to stay. */
export type ShipmentStatus = Exclude<ReportedStatus, 'exception'>;
export const SHIPMENT_STATUSES = REPORTED_STATUSES.filter((s): s is ShipmentStatus => s !== 'exception');

export type ShipmentKind = 'outbound' | 'return';

const PROGRESS: Record<Exclude<ShipmentStatus, 'cancelled'>, number> = {
  label_created: 0,
  picked_up: 1,
  in_transit: 2,
  out_for_delivery: 3,
  delivered: 4,
};

export interface TrackingEffect {
  /** The shipment takes the reported status. */
  readonly move: boolean;
  /** A shipment.status-changed.v1 goes out. */
  readonly emit: boolean;
  /** Why a report changed nothing; it is still kept in the timeline. */
  readonly note?: string;
}

/**
 * Tracking only moves forward: carriers retry and reorder their webhooks, so a report older than
 * what we already know is recorded but does not take the shipment back. Nothing moves a delivered
 * or cancelled shipment. An exception is announced but leaves the status where it is.
 */
export function trackingEffect(current: ShipmentStatus, reported: ReportedStatus): TrackingEffect {
  if (current === 'delivered' || current === 'cancelled')
    return { move: false, emit: false, note: `already ${current}` };
  if (reported === 'exception') return { move: false, emit: true };
  if (reported === 'cancelled') return { move: true, emit: true };
  if (PROGRESS[reported] > PROGRESS[current]) return { move: true, emit: true };
  if (reported === current) return { move: false, emit: false, note: 'repeated report' };
  return { move: false, emit: false, note: `late report: already ${current}` };
}

export interface CancelPlan {
  /** Shipments whose labels are to be voided at the carrier. */
  readonly cancel: readonly string[];
  /** Set when the order can no longer be cancelled: a parcel has left (or arrived). */
  readonly refused?: string;
}

/**
 * Cancelling is only possible before pickup (orders only asks before the order has shipped), and
 * it is all or nothing per order: if any parcel has been picked up, none is cancelled, so an order
 * is never left half-shipped by a cancellation.
 */
export function planCancel(shipments: readonly { id: string; status: ShipmentStatus }[]): CancelPlan {
  const gone = shipments.filter((s) => s.status !== 'label_created' && s.status !== 'cancelled');
  if (gone.length) {
    return {
      cancel: [],
      refused: `already ${gone.map((s) => s.status).join(', ')}: cancel is only possible before pickup`,
    };
  }
  return { cancel: shipments.filter((s) => s.status === 'label_created').map((s) => s.id) };
}

/** The carrier's idempotency key for a parcel: a retried command asks for the same label. */
export function parcelReference(orderId: string, index: number): string {
  return `order:${orderId}:${index}`;
}
export function returnReference(returnId: string): string {
  return `return:${returnId}`;
}

/** Who reads: staff see every shipment, a customer only those of their own orders. */
export type Reader = { readonly kind: 'staff' } | { readonly kind: 'customer'; readonly id: string };

export function canRead(reader: Reader, shipment: { customerId: string | null }): boolean {
  return reader.kind === 'staff' || (shipment.customerId !== null && shipment.customerId === reader.id);
}

/** What the timeline says for a status when the carrier sends no text of its own. */
export function describe(status: ReportedStatus, kind: ShipmentKind, location: string): string {
  switch (status) {
    case 'label_created':
      return kind === 'return' ? `Return label created, going back to ${location}` : `Label created at ${location}`;
    case 'picked_up':
      return kind === 'return' ? 'Picked up from the customer' : `Picked up from ${location}`;
    case 'in_transit':
      return 'In transit';
    case 'out_for_delivery':
      return 'Out for delivery';
    case 'delivered':
      return kind === 'return' ? `Received at ${location}` : 'Delivered';
    case 'exception':
      return 'Delivery exception';
    case 'cancelled':
      return 'Cancelled';
  }
}

export interface Line {
  readonly sku: string;
  readonly qty: number;
}

export interface Shipment {
  readonly id: string;
  readonly orderId: string;
  readonly kind: ShipmentKind;
  readonly parcelIndex: number | null;
  readonly returnId: string | null;
  readonly customerId: string | null;
  readonly location: string;
  readonly lines: readonly Line[];
  readonly address: Address;
  readonly method: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly labelUrl: string;
  readonly status: ShipmentStatus;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface TimelineEntry {
  readonly status: ReportedStatus;
  readonly at: Date;
  readonly detail: string | null;
  readonly source: 'carrier' | 'fulfillment';
  readonly applied: boolean;
}
