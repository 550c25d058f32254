import type { Outbox, Queryable } from '@storefront/kit';
import type { Order } from './domain.ts';

/** order.* facts, written to the outbox in the transaction of the change they announce. */
const ref = (o: Order) => ({ orderId: o.id, orderNumber: o.number, customerId: o.customerId, email: o.email });
const total = (o: Order) => ({ amount: o.totals.total, currency: o.currency });

export async function placed(outbox: Outbox, tx: Queryable, o: Order) {
  await outbox.add(tx, 'order.placed.v1', {
    ...ref(o),
    cartId: o.cartId,
    total: total(o),
    lines: o.lines.map((l) => ({ sku: l.sku, qty: l.quantity, unitPrice: l.unitPrice })),
  });
}

export async function confirmed(outbox: Outbox, tx: Queryable, o: Order) {
  await outbox.add(tx, 'order.confirmed.v1', { ...ref(o), total: total(o) });
}

export async function cancelled(outbox: Outbox, tx: Queryable, o: Order, reason: string) {
  await outbox.add(tx, 'order.cancelled.v1', { ...ref(o), reason: reason.slice(0, 500) });
}

export async function shipped(outbox: Outbox, tx: Queryable, o: Order) {
  await outbox.add(tx, 'order.shipped.v1', { ...ref(o), trackingNumbers: o.shipments.map((s) => s.trackingNumber) });
}

export async function delivered(outbox: Outbox, tx: Queryable, o: Order, at: Date) {
  await outbox.add(tx, 'order.delivered.v1', { ...ref(o), at: at.toISOString() });
}

export async function refunded(
  outbox: Outbox,
  tx: Queryable,
  o: Order,
  r: { refundId: string; amount: number; returnId: string | null; reason: string },
) {
  await outbox.add(tx, 'order.refunded.v1', {
    ...ref(o),
    refundId: r.refundId,
    amount: { amount: r.amount, currency: o.currency },
    returnId: r.returnId,
    reason: r.reason.slice(0, 500),
  });
}

/** A staff action for identity's audit log. */
export async function audited(
  outbox: Outbox,
  tx: Queryable,
  a: {
    actor: string;
    action: string;
    orderId: string;
    at: Date;
    requestId?: string;
    details?: Record<string, unknown>;
  },
) {
  await outbox.add(tx, 'audit.recorded.v1', {
    service: 'orders',
    action: a.action,
    actor: { id: a.actor, type: 'account' },
    target: { type: 'order', id: a.orderId },
    outcome: 'success',
    occurredAt: a.at.toISOString(),
    ...(a.requestId ? { requestId: a.requestId.slice(0, 128) } : {}),
    ...(a.details ? { details: a.details } : {}),
  });
}
