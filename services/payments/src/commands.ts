import type { EventEnvelope } from '@storefront/contracts';
import { EventRejected, type Queryable } from '@storefront/kit';
import { decideAuthorize, decideCapture, decideVoid, keys, type Payment } from './domain.ts';
import {
  announceAuthorization,
  type CommandDeps,
  markActionRequired,
  markAuthorized,
  markCaptured,
  markDeclined,
  markVoided,
} from './effects.ts';
import { type AuthorizeResult, type PaymentProvider, ProviderRefused, providerFor } from './provider.ts';
import { insertPending, lockPayment } from './store-payments.ts';

/**
 * The saga's commands to payments, each applied in the inbox transaction the bus hands us (so a
 * redelivery of the same event is a no-op) and idempotent per (payment, operation) beyond that:
 * the row lock plus the state decide, and the provider sees our key for the operation.
 * A provider error with an unknown outcome propagates: the transaction rolls back and the bus
 * retries with backoff, sending the same key again. Refunds are in command-refund.ts.
 */

/** The first enabled provider that issued the token, else the default (first) one, which will decline it. */
function pick(deps: CommandDeps, paymentMethod: string): PaymentProvider {
  const p = providerFor(deps.providers, paymentMethod) ?? Object.values(deps.providers)[0];
  if (!p) throw new Error('no payment provider is enabled');
  return p;
}

export function providerOf(deps: CommandDeps, p: Payment): PaymentProvider {
  const provider = deps.providers[p.provider];
  // Retryable on purpose: a deployment that dropped a provider with payments in flight can be fixed.
  if (!provider) throw new Error(`payment ${p.id} belongs to ${p.provider}, which is not enabled`);
  return provider;
}

export async function authorizeRequested(
  deps: CommandDeps,
  tx: Queryable,
  event: EventEnvelope<'payment.authorize-requested.v1'>,
): Promise<void> {
  const c = event.payload;
  const provider = pick(deps, c.paymentMethod);
  const first = decideAuthorize(undefined, c);
  if (first.do === 'refuse') throw new EventRejected(`authorize ${c.paymentId}: ${first.why}`);
  const pending = await insertPending(tx, {
    id: c.paymentId,
    orderId: c.orderId,
    customerId: c.customerId,
    provider: provider.name,
    amount: c.amount,
    paymentMethod: c.paymentMethod,
    returnUrl: c.returnUrl,
    now: deps.clock(),
  });
  if (!pending) {
    const existing = await lockPayment(tx, c.paymentId);
    const d = decideAuthorize(existing, c);
    if (d.do === 'refuse') throw new EventRejected(`authorize ${c.paymentId}: ${d.why}`);
    if (d.do === 'replay' && existing) await announceAuthorization(deps, tx, existing);
    if (d.do === 'ignore') deps.log.info({ paymentId: c.paymentId }, `authorize ignored: ${d.why}`);
    return;
  }
  let result: AuthorizeResult;
  try {
    result = await provider.authorize({
      paymentId: c.paymentId,
      orderId: c.orderId,
      amount: c.amount,
      paymentMethod: c.paymentMethod,
      returnUrl: c.returnUrl,
      idempotencyKey: keys.authorize(c.paymentId),
    });
  } catch (err) {
    if (!(err instanceof ProviderRefused)) throw err;
    // The provider will never take this request (an amount over its limit, say): the customer hears
    // a decline now instead of the saga waiting for its timeout.
    deps.log.error({ paymentId: c.paymentId, err: err.message }, 'authorization refused by the provider');
    result = { status: 'declined', providerRef: null, code: 'provider_refused' };
  }
  if (result.status === 'authorized') await markAuthorized(deps, tx, pending, result.providerRef, result.card);
  else if (result.status === 'action_required') {
    await markActionRequired(deps, tx, pending, result.providerRef, result.actionUrl, result.card);
  } else await markDeclined(deps, tx, pending, result.code, result.providerRef);
}

export async function captureRequested(
  deps: CommandDeps,
  tx: Queryable,
  event: EventEnvelope<'payment.capture-requested.v1'>,
): Promise<void> {
  const c = event.payload;
  const p = await lockPayment(tx, c.paymentId);
  const d = decideCapture(p, c.amount);
  if (d.do === 'refuse') {
    // A capture after a void (the order was cancelled meanwhile) lands here: nothing to announce.
    deps.log.warn({ paymentId: c.paymentId, orderId: c.orderId, state: p?.state }, `capture refused: ${d.why}`);
    throw new EventRejected(`capture ${c.paymentId}: ${d.why}`);
  }
  if (!p || d.do === 'ignore') {
    deps.log.info({ paymentId: c.paymentId }, 'capture ignored: the payment has moved on');
    return;
  }
  if (d.do === 'replay') {
    await deps.outbox.add(tx, 'payment.captured.v1', {
      orderId: p.orderId,
      paymentId: p.id,
      amount: { amount: p.captured, currency: p.amount.currency },
    });
    return;
  }
  const provider = providerOf(deps, p);
  try {
    const { amount } = await provider.capture({
      paymentId: p.id,
      providerRef: refOf(p),
      amount: c.amount,
      idempotencyKey: keys.capture(p.id),
    });
    await markCaptured(deps, tx, p, amount);
  } catch (err) {
    if (!(err instanceof ProviderRefused)) throw err;
    // The provider will never capture it (the authorization expired or was cancelled on its side):
    // a final outcome the saga must hear, so it can compensate.
    deps.log.error({ paymentId: p.id, err: err.message }, 'capture refused by the provider');
    await markDeclined(deps, tx, p, 'capture_failed', null);
  }
}

export async function voidRequested(
  deps: CommandDeps,
  tx: Queryable,
  event: EventEnvelope<'payment.void-requested.v1'>,
): Promise<void> {
  const c = event.payload;
  const p = await lockPayment(tx, c.paymentId);
  const d = decideVoid(p);
  if (d.do === 'refuse') {
    deps.log.warn({ paymentId: c.paymentId, state: p?.state }, `void refused: ${d.why}`);
    throw new EventRejected(`void ${c.paymentId}: ${d.why}`);
  }
  if (d.do === 'ignore') return;
  if (d.do === 'nothing' || d.do === 'replay' || !p) {
    // No money is held (or it was released already): the compensation has nothing left to do.
    if (!p) deps.log.warn({ paymentId: c.paymentId }, 'void for a payment never authorized here; answering voided');
    await deps.outbox.add(tx, 'payment.voided.v1', { orderId: c.orderId, paymentId: c.paymentId });
    return;
  }
  const provider = providerOf(deps, p);
  await refusalsRejected(`void ${p.id}`, () =>
    provider.cancel({ paymentId: p.id, providerRef: refOf(p), idempotencyKey: keys.void(p.id) }),
  );
  await markVoided(deps, tx, p);
}

export function refOf(p: Payment): string {
  if (!p.providerRef) throw new EventRejected(`payment ${p.id} has no provider reference`);
  return p.providerRef;
}

/** A provider's "never" becomes EventRejected (dead-lettered at once); anything else is retried. */
export async function refusalsRejected<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderRefused) throw new EventRejected(`${what}: ${err.message}`);
    throw err;
  }
}
