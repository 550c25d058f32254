import { type EvalLine, isRestricted, type Promotion } from './domain-promotions.ts';
import { allocateMinor, basisPointsOf } from './money.ts';
import type { ShippingQuote, TaxRate } from './rates.ts';

/**
 * Cart totals in integer minor units. The rules (docs in the README, cases in the tests):
 * 1. A line's subtotal is unit price × quantity, exact.
 * 2. Promotions apply in stages, each to what earlier ones left: buy-X-get-Y, then product- or
 *    category-restricted percentage, restricted fixed, then whole-order percentage, order fixed;
 *    free shipping last. Inside a stage, the older promotion first.
 * 3. A rate (percentage, tax) is rounded once, half away from zero, on the amount it applies to;
 *    an amount spread over several lines is allocated in proportion to what each line has left,
 *    floors first, remainder cents to the largest lines — so lines always sum to the whole.
 * 4. Free shipping over a threshold compares the merchandise total after discounts.
 * 5. Tax (prices are net) is computed per line on the line after discounts and rounded per line,
 *    plus shipping tax where the region taxes shipping; the order's tax is the sum.
 * 6. total = subtotal − discounts + shipping + tax.
 */

export interface AppliedInput {
  readonly promotion: Promotion;
  /** Indexes into `lines` the promotion covers (from checkPromotion). */
  readonly eligible: readonly number[];
}

export interface TotalsInput {
  readonly lines: readonly EvalLine[];
  readonly promotions: readonly AppliedInput[];
  /** The chosen option, or null when none is chosen yet. */
  readonly shipping: ShippingQuote | null;
  /** The region's rate, or null when no region is set yet (tax unknown). */
  readonly tax: TaxRate | null;
}

export interface LineTotals {
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly tax: number | null;
}

export interface AppliedPromotion {
  readonly id: string;
  readonly code: string | null;
  readonly name: string;
  readonly kind: Promotion['effect']['kind'];
  /** Taken off merchandise. */
  readonly discount: number;
  /** Taken off shipping (free-shipping promotions). */
  readonly shippingDiscount: number;
}

export interface Totals {
  readonly subtotal: number;
  /** Discounts from product- or category-restricted promotions and buy-X-get-Y. */
  readonly lineDiscount: number;
  /** Discounts on the whole order. */
  readonly orderDiscount: number;
  readonly discount: number;
  /** subtotal − discount. */
  readonly merchandise: number;
  readonly shipping: number | null;
  readonly tax: number | null;
  /** Null until both shipping and tax are known. */
  readonly total: number | null;
  /** merchandise + whatever of shipping and tax is known: what to show before checkout. */
  readonly estimatedTotal: number;
  readonly lines: readonly LineTotals[];
  readonly promotions: AppliedPromotion[];
}

const STAGE: Record<string, number> = { buy_x_get_y: 0, percentage: 1, fixed: 2, free_shipping: 5 };

function stageOf(p: Promotion): number {
  const base = STAGE[p.effect.kind] ?? 4;
  // Whole-order percentage and fixed come after every restricted one.
  return p.effect.kind === 'percentage' || p.effect.kind === 'fixed' ? base + (isRestricted(p) ? 0 : 2) : base;
}

function orderPromotions(list: readonly AppliedInput[]): AppliedInput[] {
  return [...list].sort(
    (a, b) =>
      stageOf(a.promotion) - stageOf(b.promotion) ||
      a.promotion.createdAt.localeCompare(b.promotion.createdAt) ||
      a.promotion.id.localeCompare(b.promotion.id),
  );
}

/** Discount per line for a buy-X-get-Y over the eligible lines' units, cheapest units free first. */
function buyXGetY(
  effect: { buy: number; get: number; discountBp: number },
  lines: readonly EvalLine[],
  eligible: readonly number[],
  left: readonly number[],
): number[] {
  const units = eligible
    .flatMap((i) => Array.from({ length: lines[i]?.quantity ?? 0 }, () => ({ i, price: lines[i]?.unitPrice ?? 0 })))
    .sort((a, b) => a.price - b.price || a.i - b.i);
  const free = Math.floor(units.length / (effect.buy + effect.get)) * effect.get;
  const out = lines.map(() => 0);
  for (const u of units.slice(0, free)) out[u.i] = (out[u.i] ?? 0) + basisPointsOf(u.price, effect.discountBp);
  return out.map((d, i) => Math.min(d, left[i] ?? 0));
}

export function computeTotals(input: TotalsInput): Totals {
  const { lines } = input;
  const subtotals = lines.map((l) => l.unitPrice * l.quantity);
  const left = [...subtotals];
  let lineDiscount = 0;
  let orderDiscount = 0;
  let freeShippingBy: string | null = null;
  const applied: AppliedPromotion[] = [];

  for (const { promotion: p, eligible } of orderPromotions(input.promotions)) {
    let perLine = lines.map(() => 0);
    const base = eligible.reduce((s, i) => s + (left[i] ?? 0), 0);
    const e = p.effect;
    if (e.kind === 'buy_x_get_y') perLine = buyXGetY(e, lines, eligible, left);
    if (e.kind === 'percentage' || e.kind === 'fixed') {
      const amount = e.kind === 'percentage' ? basisPointsOf(base, e.percentBp) : Math.min(e.amount, base);
      const shares = allocateMinor(
        amount,
        eligible.map((i) => left[i] ?? 0),
      );
      eligible.forEach((i, k) => {
        perLine[i] = shares[k] ?? 0;
      });
    }
    if (e.kind === 'free_shipping' && freeShippingBy === null) freeShippingBy = p.id;
    const discount = perLine.reduce((s, d) => s + d, 0);
    perLine.forEach((d, i) => {
      left[i] = (left[i] ?? 0) - d;
    });
    if (e.kind === 'buy_x_get_y' || isRestricted(p)) lineDiscount += discount;
    else orderDiscount += discount;
    applied.push({ id: p.id, code: p.code, name: p.name, kind: e.kind, discount, shippingDiscount: 0 });
  }

  const merchandise = left.reduce((s, x) => s + x, 0);
  let shipping: number | null = null;
  if (input.shipping) {
    const s = input.shipping;
    const afterThreshold = s.freeOver !== null && merchandise >= s.freeOver ? 0 : s.price;
    shipping = freeShippingBy ? 0 : afterThreshold;
    const by = applied.findIndex((a) => a.id === freeShippingBy);
    const promo = applied[by];
    if (promo) applied[by] = { ...promo, shippingDiscount: afterThreshold };
  }

  const rate = input.tax;
  const lineTax = lines.map((_, i) => (rate ? basisPointsOf(left[i] ?? 0, rate.rateBp) : null));
  let tax: number | null = null;
  if (rate) {
    const shippingTax = rate.shippingTaxable && shipping !== null ? basisPointsOf(shipping, rate.rateBp) : 0;
    tax = lineTax.reduce<number>((s, t) => s + (t ?? 0), 0) + shippingTax;
  }
  const discount = lineDiscount + orderDiscount;
  return {
    subtotal: subtotals.reduce((s, x) => s + x, 0),
    lineDiscount,
    orderDiscount,
    discount,
    merchandise,
    shipping,
    tax,
    total: shipping !== null && tax !== null ? merchandise + shipping + tax : null,
    estimatedTotal: merchandise + (shipping ?? 0) + (tax ?? 0),
    lines: lines.map((_, i) => ({
      subtotal: subtotals[i] ?? 0,
      discount: (subtotals[i] ?? 0) - (left[i] ?? 0),
      total: left[i] ?? 0,
      tax: lineTax[i] ?? null,
    })),
    promotions: applied,
  };
}
