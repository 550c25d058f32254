import { allocate, money } from '@storefront/contracts';
import type { Order } from './domain.ts';

/**
 * The return and refund rules, pure.
 * - A return may be requested within RETURN_WINDOW_DAYS of delivery, for units bought and not
 *   already in another (not rejected) return.
 * - Each returned unit refunds its share of what was paid for merchandise: the order's total less
 *   shipping (so after every discount, with its tax) is split over the lines by what they cost,
 *   then over a line's units cumulatively, so returning every unit, in any number of returns,
 *   refunds exactly what was paid, to the cent.
 * - Shipping is refunded once, and only when the whole order has come back (counting earlier
 *   returns) or a returned line's reason is `damaged` or `wrong_item` — our mistake, not the
 *   customer's change of mind.
 * - A refund never exceeds what was paid less what was refunded already; staff may lower it on
 *   inspection (a partial refund for a worn item), never raise it.
 */
export const RETURN_WINDOW_DAYS = 30;
export const RETURN_REASONS = [
  'changed_mind',
  'damaged',
  'wrong_item',
  'not_as_described',
  'does_not_fit',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const OUR_FAULT: ReadonlySet<string> = new Set(['damaged', 'wrong_item']);

export interface ReturnLine {
  readonly sku: string;
  readonly qty: number;
  readonly reason: ReturnReason;
}

export function withinWindow(deliveredAt: Date | null, now: Date): boolean {
  return deliveredAt !== null && now.getTime() - deliveredAt.getTime() <= RETURN_WINDOW_DAYS * 86_400_000;
}

/** Why these lines cannot be returned, or null. `taken`: units per SKU already in other returns. */
export function refusal(o: Order, lines: readonly ReturnLine[], taken: ReadonlyMap<string, number>): string | null {
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l.sku)) return `${l.sku} appears twice`;
    seen.add(l.sku);
    const bought = o.lines.find((x) => x.sku === l.sku)?.quantity ?? 0;
    if (bought === 0) return `${l.sku} is not in this order`;
    if (l.qty > bought - (taken.get(l.sku) ?? 0))
      return `only ${bought - (taken.get(l.sku) ?? 0)} of ${l.sku} can still be returned`;
  }
  return null;
}

/** What a return refunds: merchandise units (cumulative rounding) and possibly shipping. */
export function refundFor(
  o: Order,
  lines: readonly { sku: string; qty: number; reason: string }[],
  before: ReadonlyMap<string, number>,
  shippingRefunded: boolean,
): { merchandise: number; shipping: number; total: number } {
  const paidMerch = o.totals.total - o.totals.shipping;
  const weights = o.lines.map((l) => Math.max(0, l.total + l.tax));
  const values = weights.some((w) => w > 0)
    ? allocate(money(Math.max(0, paidMerch), o.currency), weights).map((m) => m.amount)
    : o.lines.map(() => 0);
  let merchandise = 0;
  for (const r of lines) {
    const i = o.lines.findIndex((l) => l.sku === r.sku);
    const line = o.lines[i];
    if (!line) continue;
    const value = values[i] ?? 0;
    const prev = before.get(r.sku) ?? 0;
    merchandise += Math.floor((value * (prev + r.qty)) / line.quantity) - Math.floor((value * prev) / line.quantity);
  }
  const all = o.lines.every(
    (l) => (before.get(l.sku) ?? 0) + (lines.find((r) => r.sku === l.sku)?.qty ?? 0) >= l.quantity,
  );
  const shipping = !shippingRefunded && (all || lines.some((r) => OUR_FAULT.has(r.reason))) ? o.totals.shipping : 0;
  const cap = Math.max(0, o.totals.total - o.refunded);
  const total = Math.min(cap, merchandise + shipping);
  return { merchandise, shipping, total };
}
