import { formatMoney } from './money.ts';

/** Promotions and the pure rules deciding whether one applies to a cart, with a reason when not. */

export type Effect =
  | { readonly kind: 'percentage'; readonly percentBp: number }
  | { readonly kind: 'fixed'; readonly amount: number }
  | { readonly kind: 'free_shipping' }
  /** For every `buy + get` eligible units, the `get` cheapest are discounted by `discountBp` (10 000 = free). */
  | { readonly kind: 'buy_x_get_y'; readonly buy: number; readonly get: number; readonly discountBp: number };

export interface Promotion {
  readonly id: string;
  /** Upper case; null for an automatic promotion (applies without a code). */
  readonly code: string | null;
  readonly name: string;
  readonly effect: Effect;
  /** Required when the effect or the minimum subtotal is an amount: the promotion only applies in it. */
  readonly currency: string | null;
  readonly minSubtotal: number | null;
  /** Restricts the promotion to these products and/or categories (a category covers its subtree). */
  readonly productIds: string[];
  readonly categoryIds: string[];
  readonly customerOnly: boolean;
  readonly startsAt: string | null;
  /** Exclusive: the promotion stops at this instant. */
  readonly endsAt: string | null;
  readonly usageLimit: number | null;
  readonly perCustomerLimit: number | null;
  readonly usedCount: number;
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A cart line as promotions see it: the current price, and the categories it sits under. */
export interface EvalLine {
  readonly sku: string;
  readonly productId: string;
  /** The product's category and every ancestor. */
  readonly categoryIds: readonly string[];
  readonly unitPrice: number;
  readonly quantity: number;
}

export interface EvalContext {
  readonly now: Date;
  readonly currency: string;
  readonly lines: readonly EvalLine[];
  readonly customerId: string | null;
  /** How often this customer has redeemed the promotion (0 for guests). */
  readonly customerUses: number;
}

export type ReasonCode =
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'sign_in'
  | 'usage_limit'
  | 'already_used'
  | 'currency'
  | 'products'
  | 'min_subtotal'
  | 'quantity';

export type Verdict =
  | { readonly ok: true; readonly eligible: readonly number[] }
  | { readonly ok: false; readonly reasonCode: ReasonCode; readonly reason: string };

const day = (iso: string) => iso.slice(0, 10);

/** Indexes of the lines a promotion covers. */
function eligibleLines(p: Promotion, lines: readonly EvalLine[]): number[] {
  const restricted = p.productIds.length > 0 || p.categoryIds.length > 0;
  return lines.flatMap((l, i) =>
    !restricted || p.productIds.includes(l.productId) || l.categoryIds.some((c) => p.categoryIds.includes(c))
      ? [i]
      : [],
  );
}

export function isRestricted(p: Promotion): boolean {
  return p.productIds.length > 0 || p.categoryIds.length > 0;
}

/**
 * Whether `p` applies, checked in the order a shopper can act on: is the code live at all, may
 * this shopper use it, then does this cart qualify. The first failing check is the reason.
 */
export function checkPromotion(p: Promotion, ctx: EvalContext): Verdict {
  const no = (reasonCode: ReasonCode, reason: string): Verdict => ({ ok: false, reasonCode, reason });
  const now = ctx.now.getTime();
  if (!p.active) return no('inactive', 'this code is not valid');
  if (p.startsAt && now < Date.parse(p.startsAt))
    return no('not_started', `this code is valid from ${day(p.startsAt)}`);
  if (p.endsAt && now >= Date.parse(p.endsAt)) return no('expired', `this code expired on ${day(p.endsAt)}`);
  // A per-customer limit can only be counted for a signed-in customer.
  if ((p.customerOnly || p.perCustomerLimit !== null) && !ctx.customerId)
    return no('sign_in', 'sign in to use this code');
  if (p.usageLimit !== null && p.usedCount >= p.usageLimit) return no('usage_limit', 'this code has been used up');
  if (p.perCustomerLimit !== null && ctx.customerUses >= p.perCustomerLimit) {
    return no('already_used', 'you have already used this code');
  }
  if (p.currency && p.currency !== ctx.currency) return no('currency', `this code is only valid in ${p.currency}`);
  const eligible = eligibleLines(p, ctx.lines);
  if (eligible.length === 0) {
    return no(
      'products',
      ctx.lines.length === 0 ? 'add something to your cart first' : 'this code is not valid for these products',
    );
  }
  if (p.minSubtotal !== null) {
    const subtotal = eligible.reduce((s, i) => s + lineAmount(ctx.lines[i]), 0);
    if (subtotal < p.minSubtotal) {
      const what = isRestricted(p) ? 'of eligible products' : '';
      return no(
        'min_subtotal',
        `this code needs a subtotal ${what ? `${what} ` : ''}of at least ${formatMoney(p.minSubtotal, p.currency ?? ctx.currency)}`,
      );
    }
  }
  if (p.effect.kind === 'buy_x_get_y') {
    const units = eligible.reduce((s, i) => s + (ctx.lines[i]?.quantity ?? 0), 0);
    const needed = p.effect.buy + p.effect.get;
    if (units < needed) return no('quantity', `this code needs ${needed} eligible items in the cart`);
  }
  return { ok: true, eligible };
}

function lineAmount(l: EvalLine | undefined): number {
  return l ? l.unitPrice * l.quantity : 0;
}

/** Rules a staff-entered promotion must satisfy beyond its schema; returns the problems. */
export function promotionProblems(p: Omit<Promotion, 'id' | 'usedCount' | 'createdAt' | 'updatedAt'>): string[] {
  const out: string[] = [];
  if (p.effect.kind === 'fixed' && !p.currency) out.push('a fixed-amount promotion needs a currency');
  if (p.minSubtotal !== null && !p.currency) out.push('a minimum subtotal needs a currency');
  if (p.startsAt && p.endsAt && Date.parse(p.endsAt) <= Date.parse(p.startsAt))
    out.push('endsAt must be after startsAt');
  return out;
}
