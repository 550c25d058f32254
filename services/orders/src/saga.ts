import type { Queryable } from '@storefront/kit';
import { sendCommand } from './commands.ts';
import { type Core, holdSeconds } from './core.ts';
import type { Order } from './domain.ts';
import * as events from './order-events.ts';
import {
  type Decision,
  decide,
  GIVES_UP,
  type Outcome,
  prepareStep,
  redrive,
  type Saga,
  type Step,
} from './saga-machine.ts';
import { addRefunded, getOrder, queuePromotionTasks, setStatus } from './store-orders.ts';
import { insertSaga, lockSaga, updateSaga } from './store-sagas.ts';

/**
 * The saga's effects: a decision of saga-machine.ts applied in one transaction — the conditional
 * saga UPDATE, the next command(s) in the outbox, the order's status and its order.* events. A
 * crash anywhere rolls all of it back, and the outcome (or the sweeper) drives it again.
 */

function deadlineOf(core: Core, step: Step, now: Date): Date | null {
  const t = core.timing;
  const ms =
    step === 'reserving'
      ? t.reserveTimeoutMs
      : step === 'authorizing'
        ? t.authorizeTimeoutMs
        : step === 'shipping'
          ? t.shipTimeoutMs
          : null;
  return ms === null || !GIVES_UP.has(step) ? null : new Date(now.getTime() + ms);
}

function retryAt(core: Core, attempts: number, now: Date): Date {
  return new Date(now.getTime() + core.timing.retryMs * Math.min(2 ** attempts, 8));
}

/** The first step, in the order's transaction: the saga row and the reserve command. */
export async function startSaga(core: Core, tx: Queryable, order: Order, now: Date): Promise<void> {
  const data = {
    reservationId: core.newId(),
    paymentId: core.newId(),
    stock: 'requested' as const,
    payment: 'none' as const,
    shipment: 'none' as const,
    allocations: [],
  };
  await insertSaga(tx, {
    orderId: order.id,
    data,
    deadline: deadlineOf(core, 'reserving', now),
    retryAt: retryAt(core, 0, now),
    now,
  });
  await sendCommand(core.outbox, tx, 'reserve', order, data, holdSeconds(core.timing));
}

/** An outcome event for an order. False when the saga ignored it (duplicate, late, unknown order). */
export async function applyOutcome(core: Core, tx: Queryable, orderId: string, outcome: Outcome): Promise<boolean> {
  const saga = await lockSaga(tx, orderId);
  if (!saga) return false;
  const d = decide(saga, outcome, core.newId);
  if (!d) return false;
  await applyDecision(core, tx, saga, d, false);
  return true;
}

/** The sweeper's turn on an overdue saga: its deadline fires, or its command is sent again. */
export async function fireOverdue(core: Core, tx: Queryable, saga: Saga, expired: boolean): Promise<void> {
  const d = expired ? decide(saga, { kind: 'timeout' }, core.newId) : null;
  await applyDecision(core, tx, saga, d ?? redrive(saga, core.timing.maxCancelAttempts), !d);
}

export async function applyDecision(
  core: Core,
  tx: Queryable,
  saga: Saga,
  raw: Decision,
  isRetry: boolean,
): Promise<void> {
  const now = core.clock();
  const d = prepareStep(raw, core.newId);
  const order = await getOrder(tx, saga.orderId);
  if (!order) throw new Error(`saga ${saga.orderId} has no order`);
  const attempts = d.moved ? 0 : isRetry ? saga.attempts + 1 : saga.attempts;
  const ok = await updateSaga(tx, saga, {
    step: d.step,
    state: d.state,
    data: d.data,
    attempts,
    deadline: d.moved ? deadlineOf(core, d.step, now) : undefined,
    retryAt: d.state === 'done' ? null : retryAt(core, attempts, now),
    lastError: d.lastError ?? (d.moved ? null : undefined),
    now,
  });
  // The row is locked by this transaction, so a miss means a bug in the caller, loudly.
  if (!ok) throw new Error(`saga ${saga.orderId} moved under its lock (expected ${saga.step} v${saga.version})`);
  const after = { ...order, refunded: order.refunded };
  if (saga.data.payment === 'captured' && d.data.payment === 'refunded' && saga.data.refundId) {
    const amount = order.totals.total - order.refunded;
    await addRefunded(tx, order.id, amount, now);
    await events.refunded(core.outbox, tx, order, {
      refundId: saga.data.refundId,
      amount,
      returnId: null,
      reason: d.data.cancelReason ?? 'order cancelled',
    });
  }
  for (const kind of d.commands) await sendCommand(core.outbox, tx, kind, after, d.data, holdSeconds(core.timing));
  await applyStatus(core, tx, order, saga, d, now);
  core.faults.point(`orders.saga.${d.step}`);
}

async function applyStatus(core: Core, tx: Queryable, order: Order, saga: Saga, d: Decision, now: Date) {
  if (!d.status) return;
  // Fulfillment moves a confirmed order on to shipped/delivered; the saga never takes that back.
  if (d.status === 'confirmed' && (order.status === 'shipped' || order.status === 'delivered')) return;
  const actionUrl = d.status === 'payment_action_required' ? (d.data.actionUrl ?? null) : null;
  const reason =
    d.status === 'cancelled' || d.status === 'cancelling'
      ? (d.data.cancelReason ?? null)
      : d.reason === null
        ? null
        : undefined;
  if (order.status === d.status && order.actionUrl === actionUrl && reason === undefined) return;
  await setStatus(tx, order.id, { status: d.status, reason, actionUrl, now });
  if (d.status === 'confirmed' && saga.step !== 'confirmed') {
    if (!d.data.wasConfirmed) await events.confirmed(core.outbox, tx, order);
  }
  if (d.status === 'cancelled') {
    await events.cancelled(core.outbox, tx, order, d.data.cancelReason ?? 'cancelled');
    await queuePromotionTasks(
      tx,
      order.id,
      order.promotions.map((p) => p.id),
      'release',
      now,
    );
  }
}
