import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@storefront/contracts';
import { NotFound, type Queryable } from '@storefront/kit';
import type { Core } from './core.ts';
import type { Order } from './domain.ts';
import { IdempotencyMismatch, NotRefundable, RefundExceedsRefundable } from './errors.ts';
import * as events from './order-events.ts';
import { decideStaffRefund } from './refund-rules.ts';
import type { Saga } from './saga-machine.ts';
import { addRefunded, lockOrder } from './store-orders.ts';
import {
  insertStaffRefund,
  lockStaffRefund,
  pendingRefunds,
  type StaffRefund,
  settleStaffRefund,
  staffRefundByKey,
  staffRefundsOf,
} from './store-refunds.ts';
import { returnsOf } from './store-returns.ts';
import { lockSaga } from './store-sagas.ts';

/**
 * Staff refunds: the same `payment.refund-requested.v1` command returns use, with a refund id of
 * our own (the row's id), so payments applies it once and its outcome finds the row here. The
 * order's `refunded` grows only when payments says the money went back.
 */

export interface StaffRefundRequest {
  readonly orderId: string;
  readonly key: string;
  readonly amount: number | undefined;
  readonly reason: string;
  readonly actor: string;
  readonly requestId?: string | undefined;
}

const hashOf = (r: StaffRefundRequest) =>
  createHash('sha256')
    .update(JSON.stringify({ amount: r.amount ?? null, reason: r.reason }))
    .digest('hex');

export async function requestStaffRefund(
  core: Core,
  r: StaffRefundRequest,
): Promise<{ refund: StaffRefund; replayed: boolean }> {
  const hash = hashOf(r);
  return core.db.tx(async (tx) => {
    // Saga then order: the lock order of the saga's own refund accounting.
    const saga = await lockSaga(tx, r.orderId);
    const order = saga && (await lockOrder(tx, r.orderId));
    if (!saga || !order) throw new NotFound(`no order ${r.orderId}`);
    const earlier = await staffRefundByKey(tx, r.orderId, r.key);
    if (earlier) {
      if (earlier.requestHash !== hash)
        throw new IdempotencyMismatch('this Idempotency-Key was used for another refund');
      return { refund: earlier, replayed: true };
    }
    const d = decideStaffRefund(order, saga, await pendingRefunds(tx, order.id), r.amount);
    if (d.do === 'refuse') throw new NotRefundable(`order ${order.number}: ${d.why}`);
    if (d.do === 'exceeds') throw new RefundExceedsRefundable(d.refundable);
    const now = core.clock();
    const id = core.newId();
    const row = {
      id,
      orderId: order.id,
      idemKey: r.key,
      requestHash: hash,
      amount: d.amount,
      currency: order.currency,
      reason: r.reason,
      requestedBy: r.actor,
    };
    await insertStaffRefund(tx, { ...row, now });
    await core.outbox.add(tx, 'payment.refund-requested.v1', {
      orderId: order.id,
      paymentId: saga.data.paymentId,
      refundId: id,
      amount: { amount: d.amount, currency: order.currency },
      reason: `staff refund: ${r.reason}`.slice(0, 500),
    });
    await events.audited(core.outbox, tx, {
      actor: r.actor,
      action: 'order.refund',
      orderId: order.id,
      at: now,
      requestId: r.requestId,
      details: { refundId: id, amount: d.amount, currency: order.currency, reason: r.reason },
    });
    const refund: StaffRefund = { ...row, status: 'requested', failure: null, createdAt: now, updatedAt: now };
    return { refund, replayed: false };
  });
}

/** A refund outcome that belongs to a staff refund; true when handled here. */
export async function staffRefundOutcome(core: Core, tx: Queryable, e: EventEnvelope): Promise<boolean> {
  if (e.subject !== 'payment.refunded.v1' && e.subject !== 'payment.refund-failed.v1') return false;
  const p = e.payload as { refundId: string; reason?: string };
  const r = await lockStaffRefund(tx, p.refundId);
  if (!r) return false;
  const now = core.clock();
  if (e.subject === 'payment.refund-failed.v1') {
    await settleStaffRefund(tx, r.id, 'failed', (p.reason ?? 'refund failed').slice(0, 500), now);
    return true;
  }
  if (!(await settleStaffRefund(tx, r.id, 'refunded', null, now))) return true;
  const o = await lockOrder(tx, r.orderId);
  if (!o) return true;
  await addRefunded(tx, o.id, r.amount, now);
  await events.refunded(core.outbox, tx, o, {
    refundId: r.id,
    amount: r.amount,
    returnId: null,
    reason: `staff refund: ${r.reason}`,
  });
  return true;
}

export type RefundSource = 'staff' | 'return' | 'cancellation';
export interface RefundView {
  readonly id: string;
  readonly source: RefundSource;
  readonly status: 'requested' | 'refunded' | 'failed';
  readonly amount: number;
  readonly currency: string;
  readonly reason: string | null;
  readonly failure: string | null;
  readonly requestedBy: string | null;
  readonly returnId: string | null;
  readonly at: string | null;
}

export const staffRefundView = (r: StaffRefund): RefundView => ({
  id: r.id,
  source: 'staff',
  status: r.status,
  amount: r.amount,
  currency: r.currency,
  reason: r.reason,
  failure: r.failure,
  requestedBy: r.requestedBy,
  returnId: null,
  at: r.createdAt.toISOString(),
});

/** Every refund of an order for staff: asked by staff, by an inspected return, by the saga's cancellation. */
export async function refundsOfOrder(db: Queryable, o: Order, saga: Pick<Saga, 'data'> | null): Promise<RefundView[]> {
  const list = (await staffRefundsOf(db, o.id)).map(staffRefundView);
  for (const r of await returnsOf(db, o.id)) {
    if (!r.refundId || !r.refundAmount) continue;
    const status = r.status === 'refunded' ? 'refunded' : r.status === 'refund_failed' ? 'failed' : 'requested';
    list.push({
      id: r.refundId,
      source: 'return',
      status,
      amount: r.refundAmount,
      currency: o.currency,
      reason: `return of ${r.lines.length} line(s)`,
      failure: null,
      requestedBy: null,
      returnId: r.id,
      at: r.updatedAt.toISOString(),
    });
  }
  const d = saga?.data;
  if (d?.refundId) {
    // The saga refunds whatever the others left; once settled it is part of `refunded`.
    const others = list.filter((x) => x.status === 'refunded').reduce((n, x) => n + x.amount, 0);
    const done = d.payment === 'refunded';
    list.push({
      id: d.refundId,
      source: 'cancellation',
      status: done ? 'refunded' : d.refundFailed ? 'failed' : 'requested',
      amount: done ? o.refunded - others : o.totals.total - o.refunded,
      currency: o.currency,
      reason: d.cancelReason ?? null,
      failure: d.refundFailed ? 'the refund failed after retries' : null,
      requestedBy: null,
      returnId: null,
      at: o.cancelledAt?.toISOString() ?? null,
    });
  }
  return list;
}
