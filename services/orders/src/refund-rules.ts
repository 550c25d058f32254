import type { Order } from './domain.ts';
import type { Saga } from './saga-machine.ts';

/**
 * What staff may refund on an order. Money is refundable once the saga is over with the payment
 * captured: a confirmed order (shipped or delivered too), or a cancelled one whose own refund gave
 * up. While the saga still runs, its compensation may refund the whole remainder itself, so a staff
 * refund then would race it. Refundable = the total − what was refunded − refunds still in flight.
 */
export type RefundDecision =
  | { readonly do: 'refund'; readonly amount: number }
  | { readonly do: 'refuse'; readonly why: string }
  | { readonly do: 'exceeds'; readonly refundable: number };

export function refundable(
  o: Pick<Order, 'totals' | 'refunded'>,
  s: Pick<Saga, 'step' | 'data'>,
  pending: number,
): number | string {
  if (s.data.payment !== 'captured') return 'nothing was captured on this order';
  if (s.step !== 'confirmed' && s.step !== 'cancelled') return 'the order is still being processed';
  return Math.max(0, o.totals.total - o.refunded - pending);
}

export function decideStaffRefund(
  o: Pick<Order, 'totals' | 'refunded'>,
  s: Pick<Saga, 'step' | 'data'>,
  pending: number,
  asked: number | undefined,
): RefundDecision {
  const r = refundable(o, s, pending);
  if (typeof r === 'string') return { do: 'refuse', why: r };
  if (r === 0) {
    return { do: 'refuse', why: pending > 0 ? 'the rest is being refunded already' : 'everything was refunded' };
  }
  if (asked !== undefined && asked > r) return { do: 'exceeds', refundable: r };
  return { do: 'refund', amount: asked ?? r };
}

/**
 * The saga as a cancellation should see it: when staff refunds gave everything back, the captured
 * payment needs no refund step (a refund of nothing would only fail at payments).
 */
export function netOfRefunds(s: Saga, o: Pick<Order, 'totals' | 'refunded'>): Saga {
  if (s.data.payment !== 'captured' || o.refunded < o.totals.total) return s;
  return { ...s, data: { ...s.data, payment: 'refunded' } };
}
