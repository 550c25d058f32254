import type { Clock, IdFactory } from '@storefront/contracts';
import type { Logger, Outbox, Queryable } from '@storefront/kit';
import { type Card, declineMessage, type Payment, type Refund, stateAfterRefund } from './domain.ts';
import type { Providers } from './provider.ts';
import { appendLedger } from './store-ledger.ts';
import { transition } from './store-payments.ts';
import { settleRefund } from './store-refunds.ts';

/**
 * The state changes both paths make — a command's synchronous provider answer and a provider's
 * webhook — so there is one state machine whatever told us. Each one, in the caller's transaction:
 * the conditional transition, the outcome event in the outbox, and the ledger entry (last, so the
 * chain head's lock is held only until commit).
 */
export interface EffectDeps {
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
}

export interface CommandDeps extends EffectDeps {
  readonly providers: Providers;
  readonly log: Logger;
}

const ref = (p: Payment) => ({ orderId: p.orderId, paymentId: p.id });

function ledger(d: EffectDeps, tx: Queryable, p: Payment, kind: 'authorization' | 'capture' | 'void', amount: number) {
  return appendLedger(tx, {
    id: d.newId(),
    at: d.clock(),
    kind,
    paymentId: p.id,
    orderId: p.orderId,
    amount,
    currency: p.amount.currency,
    provider: p.provider,
    providerRef: p.providerRef,
  });
}

export async function markAuthorized(
  d: EffectDeps,
  tx: Queryable,
  p: Payment,
  providerRef: string,
  card: Card | null,
): Promise<Payment> {
  const patch = card ? { providerRef, card, actionUrl: null } : { providerRef, actionUrl: null };
  const next = await transition(tx, p.id, p.state, 'authorized', patch, d.clock());
  await d.outbox.add(tx, 'payment.authorized.v1', { ...ref(next), amount: next.amount });
  await ledger(d, tx, next, 'authorization', next.amount.amount);
  return next;
}

export async function markActionRequired(
  d: EffectDeps,
  tx: Queryable,
  p: Payment,
  providerRef: string,
  actionUrl: string,
  card: Card | null,
): Promise<Payment> {
  const next = await transition(tx, p.id, p.state, 'requires_action', { providerRef, actionUrl, card }, d.clock());
  await d.outbox.add(tx, 'payment.action-required.v1', { ...ref(next), actionUrl });
  return next;
}

/** A final outcome: declined at authorization (or 3-D Secure), or failed at capture. */
export async function markDeclined(
  d: EffectDeps,
  tx: Queryable,
  p: Payment,
  code: string,
  providerRef: string | null,
): Promise<Payment> {
  const to = p.state === 'authorized' ? 'failed' : 'declined';
  // Codes come from providers; the event schema bounds them, and an unbounded one must not wedge the saga.
  const decline = { code: code.slice(0, 64), message: declineMessage(code) };
  const patch = providerRef ? { providerRef, decline, actionUrl: null } : { decline, actionUrl: null };
  const next = await transition(tx, p.id, p.state, to, patch, d.clock());
  await d.outbox.add(tx, 'payment.declined.v1', { ...ref(next), ...decline });
  return next;
}

export async function markCaptured(d: EffectDeps, tx: Queryable, p: Payment, amount: number): Promise<Payment> {
  const next = await transition(tx, p.id, p.state, 'captured', { captured: amount }, d.clock());
  await d.outbox.add(tx, 'payment.captured.v1', { ...ref(next), amount: { amount, currency: next.amount.currency } });
  await ledger(d, tx, next, 'capture', amount);
  return next;
}

export async function markVoided(d: EffectDeps, tx: Queryable, p: Payment): Promise<Payment> {
  // Only an authorization holds money; a void of an unfinished 3-D Secure releases nothing.
  const released = p.state === 'authorized' ? p.amount.amount : 0;
  const next = await transition(tx, p.id, p.state, 'voided', { actionUrl: null }, d.clock());
  await d.outbox.add(tx, 'payment.voided.v1', ref(next));
  await ledger(d, tx, next, 'void', released);
  return next;
}

/** A refund the provider settled: the refund row is already `succeeded` or is settled here. */
export async function markRefunded(
  d: EffectDeps,
  tx: Queryable,
  p: Payment,
  refund: Pick<Refund, 'id' | 'amount' | 'state'>,
): Promise<Payment> {
  const now = d.clock();
  if (refund.state === 'pending') await settleRefund(tx, refund.id, 'succeeded', null, now);
  const to = stateAfterRefund(p.captured, p.refunded + refund.amount.amount);
  const next = await transition(tx, p.id, p.state, to, { refundedDelta: refund.amount.amount }, now);
  await d.outbox.add(tx, 'payment.refunded.v1', { ...ref(next), refundId: refund.id, amount: refund.amount });
  await appendLedger(tx, {
    id: d.newId(),
    at: now,
    kind: 'refund',
    paymentId: next.id,
    orderId: next.orderId,
    refundId: refund.id,
    amount: refund.amount.amount,
    currency: refund.amount.currency,
    provider: next.provider,
    providerRef: next.providerRef,
  });
  return next;
}

export async function announceRefundFailed(
  d: EffectDeps,
  tx: Queryable,
  cmd: { orderId: string; paymentId: string; refundId: string },
  reason: string,
): Promise<void> {
  await d.outbox.add(tx, 'payment.refund-failed.v1', { ...cmd, reason: reason.slice(0, 500) });
}

/** The outcome a payment has reached, announced again for a saga that asked again. */
export async function announceAuthorization(d: EffectDeps, tx: Queryable, p: Payment): Promise<void> {
  if (p.state === 'requires_action' && p.actionUrl) {
    await d.outbox.add(tx, 'payment.action-required.v1', { ...ref(p), actionUrl: p.actionUrl });
  } else if (p.state === 'authorized') {
    await d.outbox.add(tx, 'payment.authorized.v1', { ...ref(p), amount: p.amount });
  } else if ((p.state === 'declined' || p.state === 'failed') && p.decline) {
    await d.outbox.add(tx, 'payment.declined.v1', { ...ref(p), ...p.decline });
  }
}
