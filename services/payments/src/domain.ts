import type { Money } from '@storefront/contracts';

/**
 * The payment state machine, as pure data and decisions. Every store transition is a conditional
 * `UPDATE ... WHERE id = $1 AND state = $expected` along one of these edges; the decide* functions
 * say what a (possibly repeated) command does in the state it finds.
 */
export const PAYMENT_STATES = [
  'pending',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'declined',
  'failed',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const PROVIDERS = ['sandbox', 'stripe'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

const EDGES: Record<PaymentState, readonly PaymentState[]> = {
  // 'pending' exists only inside the authorizing transaction.
  pending: ['requires_action', 'authorized', 'declined'],
  requires_action: ['authorized', 'declined', 'voided'],
  authorized: ['captured', 'voided', 'failed'],
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  refunded: [],
  voided: [],
  declined: [],
  failed: [],
};

export function canMove(from: PaymentState, to: PaymentState): boolean {
  return EDGES[from].includes(to);
}

export interface Card {
  readonly brand: string;
  readonly last4: string;
}

export interface Payment {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string | null;
  readonly provider: ProviderName;
  readonly providerRef: string | null;
  readonly state: PaymentState;
  readonly amount: Money;
  /** Minor units, same currency as amount. */
  readonly captured: number;
  readonly refunded: number;
  readonly paymentMethod: string;
  readonly card: Card | null;
  readonly returnUrl: string;
  readonly actionUrl: string | null;
  readonly decline: { readonly code: string; readonly message: string } | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const REFUND_STATES = ['pending', 'succeeded', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export interface Refund {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: Money;
  readonly state: RefundState;
  readonly providerRef: string | null;
  readonly reason: string;
  readonly failure: string | null;
  readonly createdAt: Date;
}

/** Our idempotency keys, from durable ids: every retry of one business operation sends the same key. */
export const keys = {
  authorize: (paymentId: string) => `pi:${paymentId}`,
  capture: (paymentId: string) => `capture:${paymentId}`,
  void: (paymentId: string) => `void:${paymentId}`,
  refund: (refundId: string) => `refund:${refundId}`,
};

/**
 * What a repeated command does: `replay` re-announces the outcome already reached (a saga that
 * re-drove a step gets its answer), `ignore` does nothing because the payment has moved past it.
 */
export type Decision<A extends string> =
  | { readonly do: A }
  | { readonly do: 'replay' }
  | { readonly do: 'ignore'; readonly why: string }
  | { readonly do: 'refuse'; readonly why: string };

/** Where a browser may be sent back to (the 3-D Secure page redirects there): http(s) only. */
export function isWebUrl(url: string): boolean {
  return URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol);
}

export function decideAuthorize(
  existing: Payment | undefined,
  cmd: { orderId: string; amount: Money; returnUrl: string },
) {
  if (cmd.amount.amount <= 0) return { do: 'refuse', why: 'the amount to authorize must be positive' } as const;
  if (!isWebUrl(cmd.returnUrl)) return { do: 'refuse', why: 'the returnUrl must be an http(s) URL' } as const;
  if (!existing) return { do: 'authorize' } as const;
  if (existing.orderId !== cmd.orderId || !sameMoney(existing.amount, cmd.amount)) {
    return { do: 'refuse', why: 'payment id reused for another order or amount' } as const;
  }
  if (['requires_action', 'authorized', 'declined', 'failed'].includes(existing.state))
    return { do: 'replay' } as const;
  return { do: 'ignore', why: `payment is already ${existing.state}` } as const;
}

export function decideCapture(p: Payment | undefined, amount: Money): Decision<'capture'> {
  if (!p) return { do: 'refuse', why: 'no such payment' };
  if (p.state === 'captured') return { do: 'replay' };
  if (p.state === 'partially_refunded' || p.state === 'refunded') return { do: 'ignore', why: `already ${p.state}` };
  if (p.state !== 'authorized') return { do: 'refuse', why: `cannot capture a payment that is ${p.state}` };
  if (amount.currency !== p.amount.currency) return { do: 'refuse', why: 'capture currency differs' };
  if (amount.amount <= 0 || amount.amount > p.amount.amount) {
    return { do: 'refuse', why: 'capture amount must be positive and at most the authorized amount' };
  }
  return { do: 'capture' };
}

/** `nothing`: no money is held (unknown, declined, failed), so the compensation is done as it is. */
export function decideVoid(p: Payment | undefined): Decision<'void' | 'nothing'> {
  if (!p) return { do: 'nothing' };
  if (p.state === 'authorized' || p.state === 'requires_action') return { do: 'void' };
  if (p.state === 'voided') return { do: 'replay' };
  if (p.state === 'declined' || p.state === 'failed') return { do: 'nothing' };
  return { do: 'refuse', why: `cannot void a payment that is ${p.state}; refund it` };
}

/** `fail`: a refusal the saga must hear about (refund-failed), not a broken command. */
export type RefundDecision = Decision<'refund'> | { readonly do: 'fail'; readonly why: string };

export function decideRefund(
  p: Payment | undefined,
  existing: Refund | undefined,
  pendingTotal: number,
  cmd: { paymentId: string; amount: Money },
): RefundDecision {
  if (existing) {
    if (existing.paymentId !== cmd.paymentId || !sameMoney(existing.amount, cmd.amount)) {
      return { do: 'refuse', why: 'refund id reused for another payment or amount' };
    }
    return existing.state === 'pending' ? { do: 'ignore', why: 'refund still pending' } : { do: 'replay' };
  }
  if (!p) return { do: 'fail', why: 'no such payment' };
  if (p.state !== 'captured' && p.state !== 'partially_refunded') {
    return { do: 'fail', why: `cannot refund a payment that is ${p.state}` };
  }
  if (cmd.amount.currency !== p.amount.currency) return { do: 'fail', why: 'refund currency differs from the payment' };
  const refundable = p.captured - p.refunded - pendingTotal;
  if (cmd.amount.amount <= 0 || cmd.amount.amount > refundable) {
    return { do: 'fail', why: `refund exceeds the refundable amount (${Math.max(0, refundable)})` };
  }
  return { do: 'refund' };
}

export function stateAfterRefund(captured: number, refundedAfter: number): PaymentState {
  return refundedAfter >= captured ? 'refunded' : 'partially_refunded';
}

function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  authentication_failed: 'We could not authenticate your payment. Try again or use another card.',
  processing_error: 'An error occurred while processing your card. Try again in a little while.',
  payment_method_invalid: 'This payment method cannot be used. Try another card.',
  capture_failed: 'The payment could not be completed.',
};

/** Messages shown to the customer are ours: a provider's text may say more than a shopper should see. */
export function declineMessage(code: string): string {
  return DECLINE_MESSAGES[code] ?? 'Your payment was declined.';
}
