import type { EventEnvelope } from '@storefront/contracts';
import type { Bus, EventContext } from '@storefront/kit';
import type { Core } from './core.ts';
import { declineReason } from './domain.ts';
import { staffRefundOutcome } from './refunds.ts';
import { returnOutcome } from './returns.ts';
import { applyOutcome } from './saga.ts';
import type { Outcome } from './saga-machine.ts';
import { delivered, shipmentsCreated, statusChanged } from './tracking.ts';

/**
 * What orders consumes: the outcomes of the saga's commands, one consumer per participant (each
 * filters on its domain's prefix), all inbox-deduplicated. Outcomes of one order from two
 * consumers serialize on the saga row lock. What it publishes is in order-events.ts and
 * commands.ts, always through the outbox.
 */
export const INVENTORY_OUTCOMES = [
  'inventory.reserved.v1',
  'inventory.reservation-failed.v1',
  'inventory.committed.v1',
  'inventory.commit-failed.v1',
  'inventory.released.v1',
  'inventory.restocked.v1',
] as const;
export const PAYMENT_OUTCOMES = [
  'payment.authorized.v1',
  'payment.action-required.v1',
  'payment.declined.v1',
  'payment.captured.v1',
  'payment.voided.v1',
  'payment.refunded.v1',
  'payment.refund-failed.v1',
] as const;
export const SHIPMENT_OUTCOMES = [
  'shipment.created.v1',
  'shipment.creation-failed.v1',
  'shipment.cancelled.v1',
  'shipment.status-changed.v1',
  'shipment.delivered.v1',
  'shipment.return-label-created.v1',
  'shipment.return-received.v1',
] as const;

type S = (typeof INVENTORY_OUTCOMES)[number] | (typeof PAYMENT_OUTCOMES)[number] | (typeof SHIPMENT_OUTCOMES)[number];
type Incoming = { [K in S]: EventEnvelope<K> }[S];

/** The saga's view of an outcome event; undefined for news that is not a saga step's answer. */
export function outcomeOf(e: Incoming): Outcome | undefined {
  switch (e.subject) {
    case 'inventory.reserved.v1':
      return { kind: 'reserved', allocations: e.payload.allocations };
    case 'inventory.reservation-failed.v1':
      return { kind: 'reservation_failed', reason: e.payload.reason || 'out of stock' };
    case 'inventory.committed.v1':
      return { kind: 'committed' };
    case 'inventory.commit-failed.v1':
      return { kind: 'commit_failed', reason: e.payload.reason };
    case 'inventory.released.v1':
      return { kind: 'released' };
    case 'payment.authorized.v1':
      return { kind: 'authorized' };
    case 'payment.action-required.v1':
      return { kind: 'action_required', actionUrl: e.payload.actionUrl };
    case 'payment.declined.v1':
      return { kind: 'declined', reason: declineReason(e.payload.code) };
    case 'payment.captured.v1':
      return { kind: 'captured' };
    case 'payment.voided.v1':
      return { kind: 'voided' };
    case 'payment.refunded.v1':
      return { kind: 'refunded', refundId: e.payload.refundId };
    case 'payment.refund-failed.v1':
      return { kind: 'refund_failed', refundId: e.payload.refundId };
    case 'shipment.created.v1':
      return { kind: 'shipment_created' };
    case 'shipment.creation-failed.v1':
      return { kind: 'shipment_failed', reason: e.payload.reason };
    case 'shipment.cancelled.v1':
      return { kind: 'shipment_cancelled' };
    default:
      return undefined;
  }
}

export async function handleIncoming(core: Core, e: Incoming, ctx: EventContext): Promise<void> {
  const c = { ...core, log: ctx.log };
  // Returns and staff refunds own their refunds (matched by id); everything else may be the saga's.
  if (await returnOutcome(c, ctx.tx, e)) return;
  if (await staffRefundOutcome(c, ctx.tx, e)) return;
  if (e.subject === 'shipment.created.v1') await shipmentsCreated(c, ctx.tx, e.payload);
  if (e.subject === 'shipment.status-changed.v1') return statusChanged(c, ctx.tx, e.payload);
  if (e.subject === 'shipment.delivered.v1') return delivered(c, ctx.tx, e.payload);
  const outcome = outcomeOf(e);
  if (!outcome) return;
  const applied = await applyOutcome(c, ctx.tx, e.payload.orderId, outcome);
  if (!applied)
    ctx.log.debug({ subject: e.subject, orderId: e.payload.orderId }, 'outcome ignored (duplicate or late)');
}

export function subscribeOutcomes(bus: Bus, core: Core): void {
  // Four at a time per participant: each handler holds one of the pool's 10 connections for its
  // transaction, and 8 + 8 + 1 of them left checkout's own transaction queueing behind the saga.
  const o = { maxDeliver: 10, backoffMs: [500, 1_000, 2_000, 5_000, 10_000, 30_000], concurrency: 4 };
  const handler = (e: EventEnvelope<S>, ctx: EventContext) => handleIncoming(core, e as Incoming, ctx);
  bus.subscribe('inventory', INVENTORY_OUTCOMES, handler, o);
  bus.subscribe('payments', PAYMENT_OUTCOMES, handler, o);
  // In stream order: a parcel's created, moves and delivery must apply in the order they happened.
  bus.subscribe('shipments', SHIPMENT_OUTCOMES, handler, { ...o, concurrency: 1 });
}
