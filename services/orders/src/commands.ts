import type { Outbox, Queryable } from '@storefront/kit';
import type { Order } from './domain.ts';
import type { CommandKind, SagaData } from './saga-machine.ts';

/**
 * The saga's commands as the participants' contracts spell them (packages/contracts
 * checkout-events.ts). Every id inside is durable (reservation, payment, refund, order), so a
 * command sent twice is applied once by its owner.
 */
export async function sendCommand(
  outbox: Outbox,
  tx: Queryable,
  kind: CommandKind,
  o: Order,
  d: SagaData,
  ttlSeconds: number,
): Promise<void> {
  const orderId = o.id;
  const total = { amount: o.totals.total, currency: o.currency };
  const reason = (d.cancelReason ?? 'order cancelled').slice(0, 500);
  switch (kind) {
    case 'reserve':
      await outbox.add(tx, 'inventory.reserve-requested.v1', {
        orderId,
        reservationId: d.reservationId,
        lines: o.lines.map((l) => ({ sku: l.sku, qty: l.quantity })),
        ttlSeconds,
      });
      return;
    case 'authorize':
      await outbox.add(tx, 'payment.authorize-requested.v1', {
        orderId,
        paymentId: d.paymentId,
        amount: total,
        customerId: o.customerId,
        paymentMethod: o.paymentMethod,
        returnUrl: o.returnUrl,
      });
      return;
    case 'commit':
      await outbox.add(tx, 'inventory.commit-requested.v1', { orderId, reservationId: d.reservationId });
      return;
    case 'capture':
      await outbox.add(tx, 'payment.capture-requested.v1', { orderId, paymentId: d.paymentId, amount: total });
      return;
    case 'ship':
      await outbox.add(tx, 'shipment.create-requested.v1', {
        orderId,
        customerId: o.customerId,
        address: o.address,
        method: o.shippingMethod,
        parcels: parcels(d),
      });
      return;
    case 'cancel_shipment':
      await outbox.add(tx, 'shipment.cancel-requested.v1', { orderId, reason });
      return;
    case 'refund':
      if (!d.refundId) throw new Error(`order ${orderId}: refunding without a refund id`);
      await outbox.add(tx, 'payment.refund-requested.v1', {
        orderId,
        paymentId: d.paymentId,
        refundId: d.refundId,
        amount: { amount: o.totals.total - o.refunded, currency: o.currency },
        reason,
      });
      return;
    case 'void':
      await outbox.add(tx, 'payment.void-requested.v1', { orderId, paymentId: d.paymentId, reason });
      return;
    case 'release':
      await outbox.add(tx, 'inventory.release-requested.v1', { orderId, reservationId: d.reservationId, reason });
      return;
  }
}

/** One parcel per location the stock was allocated from, as fulfillment ships them. */
export function parcels(d: SagaData) {
  const by = new Map<string, Map<string, number>>();
  for (const a of d.allocations) {
    const lines = by.get(a.location) ?? new Map<string, number>();
    lines.set(a.sku, (lines.get(a.sku) ?? 0) + a.qty);
    by.set(a.location, lines);
  }
  return [...by].map(([location, lines]) => ({ location, lines: [...lines].map(([sku, qty]) => ({ sku, qty })) }));
}
