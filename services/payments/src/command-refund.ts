import type { EventEnvelope } from '@storefront/contracts';
import { EventRejected, type Queryable } from '@storefront/kit';
import { providerOf, refOf } from './commands.ts';
import { decideRefund, keys } from './domain.ts';
import { announceRefundFailed, type CommandDeps, markRefunded } from './effects.ts';
import { ProviderRefused, type RefundResult } from './provider.ts';
import { lockPayment } from './store-payments.ts';
import { insertRefund, lockRefund, pendingRefundTotal } from './store-refunds.ts';

/**
 * `payment.refund-requested.v1`, idempotent per refund id: the payment row is locked first (the
 * webhook path locks in the same order), so the refundable budget — captured, minus refunded, minus
 * refunds still pending at the provider — cannot be spent twice by concurrent requests.
 */
export async function refundRequested(
  deps: CommandDeps,
  tx: Queryable,
  event: EventEnvelope<'payment.refund-requested.v1'>,
): Promise<void> {
  const c = event.payload;
  const p = await lockPayment(tx, c.paymentId);
  const existing = await lockRefund(tx, c.refundId);
  const pending = p ? await pendingRefundTotal(tx, p.id) : 0;
  const d = decideRefund(p, existing, pending, c);
  const cmd = { orderId: c.orderId, paymentId: c.paymentId, refundId: c.refundId };
  const now = deps.clock();

  if (d.do === 'refuse') throw new EventRejected(`refund ${c.refundId}: ${d.why}`);
  if (d.do === 'ignore') return;
  if (d.do === 'replay' && existing) {
    if (existing.state === 'succeeded') {
      await deps.outbox.add(tx, 'payment.refunded.v1', { ...cmd, amount: existing.amount });
    } else await announceRefundFailed(deps, tx, cmd, existing.failure ?? 'refund failed');
    return;
  }
  if (d.do === 'fail' || !p) {
    const why = d.do === 'fail' ? d.why : 'no such payment';
    deps.log.warn({ ...cmd, state: p?.state }, `refund refused: ${why}`);
    // Kept (when the payment exists) so that asking again gives the same answer.
    if (p && c.amount.amount > 0) await insertRefund(tx, { ...failedRow(c, now), failure: why });
    await announceRefundFailed(deps, tx, cmd, why);
    return;
  }

  const provider = providerOf(deps, p);
  let result: RefundResult;
  try {
    result = await provider.refund({
      paymentId: p.id,
      refundId: c.refundId,
      providerRef: refOf(p),
      amount: c.amount,
      idempotencyKey: keys.refund(c.refundId),
    });
  } catch (err) {
    if (!(err instanceof ProviderRefused)) throw err;
    result = { status: 'failed', providerRef: null, reason: err.message };
  }
  const row = {
    id: c.refundId,
    paymentId: p.id,
    amount: c.amount,
    reason: c.reason,
    providerRef: result.providerRef,
    now,
  };
  if (result.status === 'failed') {
    await insertRefund(tx, { ...row, state: 'failed', failure: result.reason.slice(0, 500) });
    await announceRefundFailed(deps, tx, cmd, result.reason);
    return;
  }
  await insertRefund(tx, { ...row, state: result.status, failure: null });
  // A pending refund is finished by the provider's webhook (refund_succeeded / refund_failed).
  if (result.status === 'succeeded') {
    await markRefunded(deps, tx, p, { id: c.refundId, amount: c.amount, state: 'succeeded' });
  }
}

function failedRow(c: EventEnvelope<'payment.refund-requested.v1'>['payload'], now: Date) {
  return {
    id: c.refundId,
    paymentId: c.paymentId,
    amount: c.amount,
    state: 'failed' as const,
    providerRef: null,
    reason: c.reason,
    now,
  };
}
