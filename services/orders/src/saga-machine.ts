import type { OrderStatus } from './domain.ts';

/**
 * The checkout saga as a pure state machine (ARCHITECTURE.md §6):
 *   reserving → authorizing → committing → capturing → shipping → confirmed
 * and, on a failure, a timeout or a cancellation, the compensations of what was done, newest first:
 *   cancelling_shipment → refunding | voiding → releasing → cancelled
 * `decide` says what one outcome (or a timeout, or a cancel) does to the saga in the step it finds;
 * an outcome the step does not expect is ignored (null) — so duplicated and late events are no-ops,
 * except money or stock that turns up after a cancellation, which is given back.
 */
export const FORWARD = ['reserving', 'authorizing', 'committing', 'capturing', 'shipping'] as const;
export const COMPENSATIONS = ['cancelling_shipment', 'refunding', 'voiding', 'releasing'] as const;
export type Step = (typeof FORWARD)[number] | (typeof COMPENSATIONS)[number] | 'confirmed' | 'cancelled';
export type SagaState = 'running' | 'compensating' | 'done';

export interface Allocation {
  readonly sku: string;
  readonly location: string;
  readonly qty: number;
}

/** What the saga knows of each participant's side, so compensation undoes exactly what happened. */
export interface SagaData {
  readonly reservationId: string;
  readonly paymentId: string;
  readonly stock: 'none' | 'requested' | 'reserved' | 'failed' | 'committed' | 'released';
  readonly payment:
    | 'none'
    | 'requested'
    | 'action_required'
    | 'authorized'
    | 'captured'
    | 'voided'
    | 'declined'
    | 'refunded';
  readonly shipment: 'none' | 'requested' | 'created' | 'failed' | 'cancelled';
  readonly allocations: readonly Allocation[];
  readonly actionUrl?: string | undefined;
  /** Compensations still to run after the current one. */
  readonly plan?: readonly Step[];
  readonly cancelReason?: string | undefined;
  /** A cancel that arrived while a capture was in flight: applied when the capture answers. */
  readonly cancelRequested?: string | undefined;
  /** The refund the refunding step waits for; a new id per attempt after a refund-failed. */
  readonly refundId?: string | undefined;
  readonly refundFailed?: boolean;
  /** Cancelled by staff after confirmation: if the carrier refuses the cancel, the order stays confirmed. */
  readonly wasConfirmed?: boolean;
}

export interface Saga {
  readonly orderId: string;
  readonly step: Step;
  readonly state: SagaState;
  readonly attempts: number;
  readonly version: number;
  readonly data: SagaData;
}

export type Outcome =
  | { readonly kind: 'reserved'; readonly allocations: readonly Allocation[] }
  | { readonly kind: 'reservation_failed'; readonly reason: string }
  | { readonly kind: 'committed' }
  | { readonly kind: 'commit_failed'; readonly reason: string }
  | { readonly kind: 'released' }
  | { readonly kind: 'authorized' }
  | { readonly kind: 'action_required'; readonly actionUrl: string }
  | { readonly kind: 'declined'; readonly reason: string }
  | { readonly kind: 'captured' }
  | { readonly kind: 'voided' }
  | { readonly kind: 'refunded'; readonly refundId: string }
  | { readonly kind: 'refund_failed'; readonly refundId: string }
  | { readonly kind: 'shipment_created' }
  | { readonly kind: 'shipment_failed'; readonly reason: string }
  | { readonly kind: 'shipment_cancelled' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancel'; readonly reason: string };

/** A command to write to the outbox; saga.ts turns it into the subject and payload. */
export type CommandKind =
  | 'reserve'
  | 'authorize'
  | 'commit'
  | 'capture'
  | 'ship'
  | 'cancel_shipment'
  | 'refund'
  | 'void'
  | 'release';

export interface Decision {
  readonly step: Step;
  readonly state: SagaState;
  readonly data: SagaData;
  readonly commands: readonly CommandKind[];
  /** Set when the step changed (attempts reset, new deadline). */
  readonly moved: boolean;
  readonly status?: OrderStatus;
  readonly reason?: string | null;
  readonly lastError?: string | null;
}

const COMMAND_OF: Partial<Record<Step, CommandKind>> = {
  reserving: 'reserve',
  authorizing: 'authorize',
  committing: 'commit',
  capturing: 'capture',
  shipping: 'ship',
  cancelling_shipment: 'cancel_shipment',
  refunding: 'refund',
  voiding: 'void',
  releasing: 'release',
};

/** The command a step sends (and the sweeper re-sends while it waits). */
export function commandOf(step: Step): CommandKind | undefined {
  return COMMAND_OF[step];
}

/** Customer-visible status while the saga is in a step. */
export function statusOf(step: Step, data: SagaData): OrderStatus {
  switch (step) {
    case 'reserving':
      return 'pending';
    case 'authorizing':
      return data.payment === 'action_required' ? 'payment_action_required' : 'pending_payment';
    case 'committing':
    case 'capturing':
    case 'shipping':
      return 'processing';
    case 'confirmed':
      return 'confirmed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'cancelling';
  }
}

/** Forward steps that may give up on a deadline; committing and capturing only re-drive (an answer will come). */
export const GIVES_UP: ReadonlySet<Step> = new Set(['reserving', 'authorizing', 'shipping']);

/** The compensations for what has happened so far, newest first, ending in cancelled. */
export function compensationPlan(d: SagaData): Step[] {
  const plan: Step[] = [];
  if (d.shipment === 'requested' || d.shipment === 'created') plan.push('cancelling_shipment');
  if (d.payment === 'captured') plan.push('refunding');
  else if (d.payment === 'requested' || d.payment === 'action_required' || d.payment === 'authorized')
    plan.push('voiding');
  if (d.stock === 'requested' || d.stock === 'reserved' || d.stock === 'committed') plan.push('releasing');
  plan.push('cancelled');
  return plan;
}

function go(step: Step, data: SagaData, extra: Partial<Decision> = {}): Decision {
  const state: SagaState =
    step === 'confirmed' || step === 'cancelled'
      ? 'done'
      : COMPENSATIONS.includes(step as never)
        ? 'compensating'
        : 'running';
  const cmd = commandOf(step);
  return { step, state, data, commands: cmd ? [cmd] : [], moved: true, status: statusOf(step, data), ...extra };
}

/** Starts compensating with `reason` (the first reason wins: it is the one the customer sees). */
export function compensate(data: SagaData, reason: string): Decision {
  const d = { ...data, cancelReason: data.cancelReason ?? reason, cancelRequested: undefined };
  const [first, ...rest] = compensationPlan(d);
  return go(first ?? 'cancelled', { ...d, plan: rest }, { reason: d.cancelReason ?? reason });
}

/** The next compensation after the current one finished. */
function nextCompensation(data: SagaData): Decision {
  const [first, ...rest] = data.plan ?? ['cancelled'];
  const step = first ?? 'cancelled';
  return go(step, { ...data, plan: rest }, step === 'cancelled' ? { reason: data.cancelReason ?? 'cancelled' } : {});
}

const stay = (s: Saga, data: SagaData, commands: readonly CommandKind[], extra: Partial<Decision> = {}): Decision => ({
  step: s.step,
  state: s.state,
  data,
  commands,
  moved: false,
  ...extra,
});

export function decide(s: Saga, o: Outcome, newRefundId: () => string): Decision | null {
  const d = s.data;
  if (s.step === 'cancelled') return afterCancel(s, o, newRefundId);
  if (o.kind === 'cancel') return cancel(s, o.reason);
  switch (s.step) {
    case 'reserving':
      if (o.kind === 'reserved')
        return go('authorizing', { ...d, stock: 'reserved', allocations: o.allocations, payment: 'requested' });
      if (o.kind === 'reservation_failed') return compensate({ ...d, stock: 'failed' }, o.reason);
      if (o.kind === 'timeout') return compensate(d, 'stock reservation timed out');
      return null;
    case 'authorizing':
      if (o.kind === 'authorized') return go('committing', { ...d, payment: 'authorized', actionUrl: undefined });
      if (o.kind === 'action_required') {
        if (d.payment === 'action_required' && d.actionUrl === o.actionUrl) return null;
        const data = { ...d, payment: 'action_required' as const, actionUrl: o.actionUrl };
        return stay(s, data, [], { status: 'payment_action_required' });
      }
      if (o.kind === 'declined') return compensate({ ...d, payment: 'declined' }, o.reason);
      if (o.kind === 'timeout') return compensate(d, 'payment timed out');
      return null;
    case 'committing':
      if (o.kind === 'committed') return go('capturing', { ...d, stock: 'committed' });
      if (o.kind === 'commit_failed')
        return compensate({ ...d, stock: 'released' }, 'the stock hold expired before the payment completed');
      return null;
    case 'capturing':
      if (o.kind === 'captured') {
        const data = { ...d, payment: 'captured' as const };
        if (d.cancelRequested) return compensate(data, d.cancelRequested);
        return go('shipping', { ...data, shipment: 'requested' });
      }
      if (o.kind === 'declined') return compensate({ ...d, payment: 'declined' }, o.reason);
      return null;
    case 'shipping':
      if (o.kind === 'shipment_created') return go('confirmed', { ...d, shipment: 'created' });
      if (o.kind === 'shipment_failed')
        return compensate({ ...d, shipment: 'failed' }, `shipment could not be created: ${o.reason}`.slice(0, 500));
      if (o.kind === 'timeout') return compensate(d, 'shipment creation timed out');
      return null;
    case 'confirmed':
      return null;
    default:
      return compensating(s, o, newRefundId);
  }
}

function cancel(s: Saga, reason: string): Decision | null {
  if (s.state === 'compensating') return null;
  // A capture in flight has an unknown outcome: voiding now could race it. Wait for its answer.
  if (s.step === 'capturing')
    return s.data.cancelRequested ? null : stay(s, { ...s.data, cancelRequested: reason }, []);
  return compensate({ ...s.data, wasConfirmed: s.step === 'confirmed' }, reason);
}

function compensating(s: Saga, o: Outcome, newRefundId: () => string): Decision | null {
  const d = s.data;
  switch (s.step) {
    case 'cancelling_shipment':
      if (o.kind === 'shipment_cancelled') return nextCompensation({ ...d, shipment: 'cancelled' });
      if (o.kind === 'shipment_failed') return nextCompensation({ ...d, shipment: 'failed' });
      return null;
    case 'voiding':
      if (o.kind === 'voided') return nextCompensation({ ...d, payment: 'voided' });
      if (o.kind === 'declined') return nextCompensation({ ...d, payment: 'declined' });
      // The authorization landed after our void was answered (two consumers at payments): void again.
      if (o.kind === 'authorized' || o.kind === 'action_required') return stay(s, d, ['void']);
      if (o.kind === 'captured') return go('refunding', { ...d, payment: 'captured', refundId: newRefundId() });
      return null;
    case 'refunding':
      if (o.kind === 'refunded' && o.refundId === d.refundId) return nextCompensation({ ...d, payment: 'refunded' });
      if (o.kind === 'refund_failed' && o.refundId === d.refundId) {
        if (s.attempts >= 5) return nextCompensation({ ...d, refundFailed: true });
        return { ...stay(s, { ...d, refundId: newRefundId() }, ['refund']), lastError: 'refund failed; retrying' };
      }
      return null;
    case 'releasing':
      if (o.kind === 'released') return nextCompensation({ ...d, stock: 'released' });
      return null;
    default:
      return null;
  }
}

/** The saga is over: anything that still holds money or stock for this order is given back. */
function afterCancel(s: Saga, o: Outcome, newRefundId: () => string): Decision | null {
  const d = s.data;
  if (o.kind === 'authorized' || o.kind === 'action_required') return stay(s, d, ['void']);
  if (o.kind === 'captured') return stay(s, { ...d, refundId: newRefundId() }, ['refund']);
  if (o.kind === 'reserved') return stay(s, d, ['release']);
  if (o.kind === 'shipment_created') return stay(s, d, ['cancel_shipment']);
  return null;
}

/** Steps whose first entry sets the ids they need (a refund id per refunding). */
export function prepareStep(decision: Decision, newRefundId: () => string): Decision {
  if (decision.moved && decision.step === 'refunding' && !decision.data.refundId) {
    return { ...decision, data: { ...decision.data, refundId: newRefundId() } };
  }
  return decision;
}

/**
 * The sweeper found the step overdue for an answer: send its command again (safe, every command is
 * idempotent on its ids). A staff cancel the carrier keeps refusing (a parcel left meanwhile) is
 * given up after `maxCancelAttempts`: the order stays confirmed, and says why.
 */
export function redrive(s: Saga, maxCancelAttempts: number): Decision {
  if (s.step === 'cancelling_shipment' && s.data.wasConfirmed && s.attempts >= maxCancelAttempts) {
    const data = {
      ...s.data,
      plan: undefined,
      cancelReason: undefined,
      wasConfirmed: false,
      shipment: 'created' as const,
    };
    return go('confirmed', data, {
      reason: null,
      lastError: 'the carrier refused the cancellation: a parcel has left',
    });
  }
  const cmd = commandOf(s.step);
  return stay(s, s.data, cmd ? [cmd] : []);
}
