import type { EventEnvelope } from '@storefront/contracts';
import { NotFound, type Queryable } from '@storefront/kit';
import type { Core } from './core.ts';
import { RefundExceedsRefundable, ReturnRefused } from './errors.ts';
import * as events from './order-events.ts';
import { refundable } from './refund-rules.ts';
import { type ReturnLine, refundFor, refusal, withinWindow } from './returns-rules.ts';
import { addRefunded, getOrder, lockOrder } from './store-orders.ts';
import { pendingRefunds } from './store-refunds.ts';
import {
  getReturn,
  insertReturn,
  moveReturn,
  type Return,
  type ReturnStatus,
  returnByRefund,
  returnsOf,
  setRestocked,
} from './store-returns.ts';
import { getSaga } from './store-sagas.ts';

/**
 * Returns (RMA): requested (customer, within the window) → approved (staff; return label asked of
 * fulfillment) | rejected → label_created → received (the parcel arrived) → refunding (staff
 * inspected: refund and restock commands sent) → refunded | refund_failed. Rules in returns-rules.ts.
 */

/** Units per SKU already in returns that were not rejected. */
function taken(list: readonly Return[], except?: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of list) {
    if (r.status === 'rejected' || r.id === except) continue;
    for (const l of r.lines) m.set(l.sku, (m.get(l.sku) ?? 0) + l.qty);
  }
  return m;
}

export async function requestReturn(
  core: Core,
  orderId: string,
  lines: readonly ReturnLine[],
  note: string | null,
): Promise<string> {
  return core.db.tx(async (tx) => {
    const o = await lockOrder(tx, orderId);
    if (!o) throw new NotFound(`no order ${orderId}`);
    const now = core.clock();
    if (o.status !== 'delivered' || !withinWindow(o.deliveredAt, now)) {
      throw new ReturnRefused('returns are accepted within 30 days of delivery');
    }
    const why = refusal(o, lines, taken(await returnsOf(tx, orderId)));
    if (why) throw new ReturnRefused(why);
    const id = core.newId();
    await insertReturn(tx, { id, orderId, customerId: o.customerId, lines, note, now });
    return id;
  });
}

export async function approveReturn(core: Core, id: string, toLocation: string, actor: string) {
  await core.db.tx(async (tx) => {
    const r = await mustReturn(tx, id);
    const o = await getOrder(tx, r.orderId);
    if (!o) throw new NotFound(`no order ${r.orderId}`);
    const now = core.clock();
    if (!(await moveReturn(tx, id, ['requested'], 'approved', { to_location: toLocation, decided_by: actor }, now))) {
      throw new ReturnRefused(`return is ${r.status}`);
    }
    await core.outbox.add(tx, 'shipment.return-requested.v1', {
      orderId: o.id,
      returnId: id,
      from: o.address,
      toLocation,
      lines: r.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
    });
    await events.audited(core.outbox, tx, {
      actor,
      action: 'return.approve',
      orderId: o.id,
      at: now,
      details: { returnId: id, toLocation },
    });
  });
}

export async function rejectReturn(core: Core, id: string, reason: string, actor: string) {
  await core.db.tx(async (tx) => {
    const r = await mustReturn(tx, id);
    const now = core.clock();
    if (!(await moveReturn(tx, id, ['requested'], 'rejected', { rejection: reason, decided_by: actor }, now))) {
      throw new ReturnRefused(`return is ${r.status}`);
    }
    await events.audited(core.outbox, tx, {
      actor,
      action: 'return.reject',
      orderId: r.orderId,
      at: now,
      details: { returnId: id, reason },
    });
  });
}

const INSPECTABLE: readonly ReturnStatus[] = ['received', 'label_created', 'approved'];

/** Inspected: refund (the rule's amount, or less) and restock at the chosen location. */
export async function inspectReturn(
  core: Core,
  id: string,
  o: { restockLocation: string; refundAmount?: number | undefined },
  actor: string,
) {
  return core.db.tx(async (tx) => {
    const r = await mustReturn(tx, id);
    if (!INSPECTABLE.includes(r.status)) throw new ReturnRefused(`return is ${r.status}`);
    const order = await lockOrder(tx, r.orderId);
    const saga = await getSaga(tx, r.orderId);
    if (!order || !saga) throw new NotFound(`no order ${r.orderId}`);
    const all = await returnsOf(tx, r.orderId);
    const before = new Map<string, number>();
    for (const x of all) {
      if (x.id === r.id || !['refunding', 'refunded'].includes(x.status)) continue;
      for (const l of x.lines) before.set(l.sku, (before.get(l.sku) ?? 0) + l.qty);
    }
    const rule = refundFor(
      order,
      r.lines,
      before,
      all.some((x) => x.id !== r.id && x.refundShipping),
    );
    // The staff refund's rule caps it too: total − refunded − refunds in flight (staff, other returns).
    const left = refundable(order, saga, await pendingRefunds(tx, order.id));
    const cap = typeof left === 'number' ? left : 0;
    if (o.refundAmount !== undefined && o.refundAmount > cap) throw new RefundExceedsRefundable(cap);
    const amount = Math.min(rule.total, cap, o.refundAmount ?? rule.total);
    const now = core.clock();
    const refundId = core.newId();
    const set = {
      refund_id: refundId,
      refund_amount: amount,
      // Shipping counts as refunded only when the whole rule amount went back; comparing with the
      // uncapped figure keeps this independent of whether an earlier refund has settled yet.
      refund_shipping: rule.shipping > 0 && amount >= rule.merchandise + rule.shipping,
      restock_location: o.restockLocation,
      decided_by: actor,
    };
    if (!(await moveReturn(tx, id, INSPECTABLE, 'refunding', set, now))) {
      throw new ReturnRefused(`return is ${r.status}`);
    }
    if (amount > 0) {
      await core.outbox.add(tx, 'payment.refund-requested.v1', {
        orderId: order.id,
        paymentId: saga.data.paymentId,
        refundId,
        amount: { amount, currency: order.currency },
        reason: `return ${id}`,
      });
    }
    await core.outbox.add(tx, 'inventory.restock-requested.v1', {
      orderId: order.id,
      returnId: id,
      location: o.restockLocation,
      lines: r.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
    });
    await events.audited(core.outbox, tx, {
      actor,
      action: 'return.inspect',
      orderId: order.id,
      at: now,
      details: { returnId: id, amount, restockLocation: o.restockLocation },
    });
    if (amount === 0) await moveReturn(tx, id, ['refunding'], 'refunded', {}, now);
    return { refundId, amount, rule };
  });
}

async function mustReturn(tx: Queryable, id: string): Promise<Return> {
  const r = await getReturn(tx, id, true);
  if (!r) throw new NotFound(`no return ${id}`);
  return r;
}

/** Outcome events that belong to a return; true when handled here. */
export async function returnOutcome(core: Core, tx: Queryable, e: EventEnvelope): Promise<boolean> {
  const now = core.clock();
  const p = e.payload as Record<string, unknown>;
  switch (e.subject) {
    case 'shipment.return-label-created.v1': {
      const label = { carrier: p.carrier, trackingNumber: p.trackingNumber, labelUrl: p.labelUrl };
      await moveReturn(tx, String(p.returnId), ['approved'], 'label_created', { label }, now);
      return true;
    }
    case 'shipment.return-received.v1':
      await moveReturn(tx, String(p.returnId), ['approved', 'label_created'], 'received', {}, now);
      return true;
    case 'inventory.restocked.v1':
      await setRestocked(tx, String(p.returnId), now);
      return true;
    case 'payment.refunded.v1':
    case 'payment.refund-failed.v1': {
      const r = await returnByRefund(tx, String(p.refundId));
      if (!r) return false;
      if (e.subject === 'payment.refund-failed.v1') {
        await moveReturn(tx, r.id, ['refunding'], 'refund_failed', {}, now);
        return true;
      }
      if (await moveReturn(tx, r.id, ['refunding'], 'refunded', {}, now)) {
        const o = await lockOrder(tx, r.orderId);
        if (!o) return true;
        await addRefunded(tx, o.id, r.refundAmount ?? 0, now);
        await events.refunded(core.outbox, tx, o, {
          refundId: String(p.refundId),
          amount: r.refundAmount ?? 0,
          returnId: r.id,
          reason: `return of ${r.lines.length} line(s)`,
        });
      }
      return true;
    }
    default:
      return false;
  }
}
