import type { Logger, Queryable } from '@storefront/kit';
import type { ProviderName } from './domain.ts';
import {
  announceRefundFailed,
  type EffectDeps,
  markAuthorized,
  markCaptured,
  markDeclined,
  markRefunded,
  markVoided,
} from './effects.ts';
import type { ProviderEvent, ProviderWebhook, RefundEvent } from './provider.ts';
import { lockByProviderRef, lockPayment } from './store-payments.ts';
import { lockRefund, settleRefund } from './store-refunds.ts';

/**
 * What a verified provider webhook does, through the same effects as the commands. Every event is
 * applied only from the state it follows from, so a webhook confirming what a command already
 * recorded (the sandbox and Stripe both send one) changes nothing.
 *
 * `unknown`: the object is ours (it carries our ids) but not committed here yet — the command that
 * created it is still in its transaction. The caller answers 503 so the provider retries later.
 */
export type Applied = 'applied' | 'ignored' | 'unknown';

export async function applyWebhook(
  d: EffectDeps & { log: Logger },
  tx: Queryable,
  provider: ProviderName,
  webhook: ProviderWebhook,
): Promise<Applied> {
  let result: Applied = 'ignored';
  for (const e of webhook.events) {
    const r = await applyEvent(d, tx, provider, e);
    if (r === 'unknown') return 'unknown';
    if (r === 'applied') result = 'applied';
  }
  return result;
}

async function applyEvent(
  d: EffectDeps & { log: Logger },
  tx: Queryable,
  provider: ProviderName,
  e: ProviderEvent,
): Promise<Applied> {
  if (e.kind === 'refund_succeeded' || e.kind === 'refund_failed') return applyRefundEvent(d, tx, e);
  const p = await lockByProviderRef(tx, provider, e.providerRef, e.paymentId);
  if (!p || p.state === 'pending') return 'unknown';
  switch (e.kind) {
    case 'authorized':
      if (p.state !== 'requires_action') return 'ignored';
      await markAuthorized(d, tx, p, e.providerRef, null);
      return 'applied';
    case 'declined':
      if (p.state !== 'requires_action') return 'ignored';
      await markDeclined(d, tx, p, e.code, e.providerRef);
      return 'applied';
    case 'captured':
      // Captured outside a capture command (a dashboard): recorded and announced all the same.
      if (p.state !== 'authorized') return 'ignored';
      if (e.amount <= 0 || e.amount > p.amount.amount) {
        d.log.error(
          { paymentId: p.id, amount: e.amount },
          'provider reports a capture outside the authorization; check by hand',
        );
        return 'ignored';
      }
      await markCaptured(d, tx, p, e.amount);
      return 'applied';
    case 'voided':
      if (p.state !== 'authorized' && p.state !== 'requires_action') return 'ignored';
      await markVoided(d, tx, p);
      return 'applied';
  }
}

async function applyRefundEvent(d: EffectDeps & { log: Logger }, tx: Queryable, e: RefundEvent): Promise<Applied> {
  const { rows } = await tx.query<{ payment_id: string }>('SELECT payment_id FROM refunds WHERE id = $1', [e.refundId]);
  const paymentId = rows[0]?.payment_id;
  if (!paymentId) return 'unknown';
  // Payment first, then refund: the order the refund command locks in.
  const p = await lockPayment(tx, paymentId);
  const refund = await lockRefund(tx, e.refundId);
  if (!p || !refund) return 'unknown';
  if (refund.state !== 'pending') {
    if (refund.state === 'succeeded' && e.kind === 'refund_failed') {
      d.log.error({ refundId: refund.id }, 'provider reports a failure for a refund it had settled; check by hand');
    }
    return 'ignored';
  }
  const cmd = { orderId: p.orderId, paymentId: p.id, refundId: refund.id };
  if (e.kind === 'refund_succeeded') {
    await markRefunded(d, tx, p, refund);
    return 'applied';
  }
  const reason = e.reason || 'the provider could not refund the payment';
  await settleRefund(tx, refund.id, 'failed', reason.slice(0, 500), d.clock());
  await announceRefundFailed(d, tx, cmd, reason);
  return 'applied';
}
