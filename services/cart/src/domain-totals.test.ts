import { describe, expect, it } from 'vitest';
import { checkPromotion, type Promotion } from './domain-promotions.ts';
import { computeTotals } from './domain-totals.ts';
import type { ShippingQuote, TaxRate } from './rates.ts';
import { line, promo } from './test-fixtures.ts';

/** Totals, discounts, shipping, tax and rounding: each row is a cart and what it must come to. */

const standard: ShippingQuote = { id: 'standard', name: 'Standard', price: 599, freeOver: 5000 };
const express: ShippingQuote = { id: 'express', name: 'Express', price: 1999, freeOver: null };
const CA: TaxRate = { rateBp: 725, shippingTaxable: false };
const DE: TaxRate = { rateBp: 1900, shippingTaxable: true };

const pct = (bp: number, extra: Partial<Promotion> = {}) =>
  promo({ effect: { kind: 'percentage', percentBp: bp }, ...extra });
const fixed = (amount: number, extra: Partial<Promotion> = {}) =>
  promo({ effect: { kind: 'fixed', amount }, ...extra });
const bxgy = (buy: number, get: number, discountBp = 10_000) =>
  promo({ effect: { kind: 'buy_x_get_y', buy, get, discountBp } });
const freeShip = promo({ effect: { kind: 'free_shipping' } });
const onP1 = { productIds: ['p1'] };

interface Row {
  readonly name: string;
  readonly lines: ReturnType<typeof line>[];
  readonly promotions?: Promotion[];
  readonly shipping?: ShippingQuote;
  readonly tax?: TaxRate;
  readonly expect: Record<string, unknown>;
  readonly lineDiscounts?: number[];
  readonly lineTax?: (number | null)[];
}

const rows: Row[] = [
  {
    name: 'no promotions, shipping or region: total unknown, estimate is the merchandise',
    lines: [line(1000, 2), line(550)],
    expect: {
      subtotal: 2550,
      discount: 0,
      merchandise: 2550,
      shipping: null,
      tax: null,
      total: null,
      estimatedTotal: 2550,
    },
  },
  {
    name: '10 % of 1000 over 333/333/334: floors 33/33/33, the remaining cent to the largest line',
    lines: [line(333), line(333, 1, 'p2'), line(334, 1, 'p3')],
    promotions: [pct(1000)],
    expect: { orderDiscount: 100, lineDiscount: 0, merchandise: 900 },
    lineDiscounts: [33, 33, 34],
  },
  {
    name: '5 % of 1010 = 50.5 rounds half away from zero to 51',
    lines: [line(1010)],
    promotions: [pct(500)],
    expect: { discount: 51, merchandise: 959 },
  },
  {
    name: '12.5 % of 1004 = 125.5 → 126; 12.5 % of 1003 = 125.375 → 125',
    lines: [line(1004), line(1003, 1, 'p1')],
    promotions: [pct(1250, onP1), pct(1250, { productIds: ['p-other'] })],
    expect: { lineDiscount: 251 },
    lineDiscounts: [126, 125],
  },
  {
    name: 'a fixed amount above the subtotal takes the subtotal, never below zero',
    lines: [line(1200)],
    promotions: [fixed(5000)],
    expect: { discount: 1200, merchandise: 0 },
  },
  {
    name: 'a fixed 1000 over 3333/3333/3334 allocates 333/333/334 and sums exactly',
    lines: [line(3333), line(3333, 1, 'p2'), line(3334, 1, 'p3')],
    promotions: [fixed(1000)],
    expect: { orderDiscount: 1000 },
    lineDiscounts: [333, 333, 334],
  },
  {
    name: 'a restricted percentage is a line discount on the covered lines only',
    lines: [line(2000, 1, 'p1'), line(1000)],
    promotions: [pct(1500, onP1)],
    expect: { lineDiscount: 300, orderDiscount: 0, merchandise: 2700 },
    lineDiscounts: [300, 0],
  },
  {
    name: 'stages: the restricted 10 % first, then the order 10 % on what is left (1800 + 1000)',
    lines: [line(2000, 1, 'p1'), line(1000)],
    promotions: [pct(1000), pct(1000, onP1)],
    expect: { lineDiscount: 200, orderDiscount: 280, merchandise: 2520 },
    lineDiscounts: [380, 100],
  },
  {
    name: 'stacked promotions never take a line below zero',
    lines: [line(1000, 1, 'p1'), line(500)],
    promotions: [fixed(1500, onP1), pct(1000)],
    expect: { lineDiscount: 1000, orderDiscount: 50, merchandise: 450 },
    lineDiscounts: [1000, 50],
  },
  {
    name: 'buy 2 get 1 free: the cheapest of three units is free',
    lines: [line(1000, 2), line(400, 1, 'p2')],
    promotions: [bxgy(2, 1)],
    expect: { lineDiscount: 400, merchandise: 2000 },
    lineDiscounts: [0, 400],
  },
  {
    name: 'buy 2 get 1 free with 7 units: two free, the two cheapest',
    lines: [line(1000, 4), line(500, 3, 'p2')],
    promotions: [bxgy(2, 1)],
    expect: { lineDiscount: 1000 },
    lineDiscounts: [0, 1000],
  },
  {
    name: 'buy 2 get 1 half price on 999: 499.5 → 500',
    lines: [line(999, 3)],
    promotions: [bxgy(2, 1, 5000)],
    expect: { lineDiscount: 500, merchandise: 2497 },
  },
  {
    name: 'free shipping over 5000 compares the merchandise after discounts (4680: not free)',
    lines: [line(5200)],
    promotions: [pct(1000)],
    shipping: standard,
    expect: { merchandise: 4680, shipping: 599 },
  },
  {
    name: 'free shipping over 5000 at 5200 without discounts',
    lines: [line(5200)],
    shipping: standard,
    expect: { shipping: 0 },
  },
  {
    name: 'a free-shipping promotion zeroes express and records what it saved',
    lines: [line(1000)],
    promotions: [freeShip],
    shipping: express,
    expect: { shipping: 0, promotions: [expect.objectContaining({ kind: 'free_shipping', shippingDiscount: 1999 })] },
  },
  {
    name: 'tax is rounded per line then summed: 3 × 7.3225 → 21 (rounding the sum would say 22)',
    lines: [line(101), line(101, 1, 'p2'), line(101, 1, 'p3')],
    shipping: standard,
    tax: CA,
    expect: { tax: 21, shipping: 599, total: 303 + 599 + 21 },
    lineTax: [7, 7, 7],
  },
  {
    name: 'tax on discounted lines, and on shipping where the region taxes it (DE 19 %)',
    lines: [line(1000, 2)],
    promotions: [pct(1000)],
    shipping: { ...standard, price: 499 },
    tax: DE,
    // 1800 merchandise → 342 tax; shipping 499 → 94.81 → 95.
    expect: { merchandise: 1800, shipping: 499, tax: 437, total: 2736 },
    lineTax: [342],
  },
  {
    name: 'tax half a cent rounds away from zero: 5 % of 1010 = 50.5 → 51',
    lines: [line(1010)],
    shipping: express,
    tax: { rateBp: 500, shippingTaxable: false },
    expect: { tax: 51, total: 1010 + 1999 + 51 },
  },
  {
    name: 'known tax without a shipping choice: no total yet, the estimate includes the tax',
    lines: [line(1000)],
    tax: CA,
    expect: { tax: 73, shipping: null, total: null, estimatedTotal: 1073 },
  },
];

describe('computeTotals', () => {
  it.each(rows)('$name', (row) => {
    const promotions = (row.promotions ?? []).map((p) => {
      const v = checkPromotion(p, {
        now: new Date('2025-06-01'),
        currency: 'USD',
        lines: row.lines,
        customerId: 'c',
        customerUses: 0,
      });
      if (!v.ok) throw new Error(`fixture promotion does not apply: ${v.reason}`);
      return { promotion: p, eligible: v.eligible };
    });
    const t = computeTotals({ lines: row.lines, promotions, shipping: row.shipping ?? null, tax: row.tax ?? null });
    expect(t).toMatchObject(row.expect);
    if (row.lineDiscounts) expect(t.lines.map((l) => l.discount)).toEqual(row.lineDiscounts);
    if (row.lineTax) expect(t.lines.map((l) => l.tax)).toEqual(row.lineTax);
    // Invariants every row holds.
    expect(t.lines.reduce((s, l) => s + l.discount, 0)).toBe(t.discount);
    expect(t.subtotal - t.discount).toBe(t.merchandise);
    expect(t.lines.every((l) => l.total >= 0)).toBe(true);
    if (t.total !== null) expect(t.total).toBe(t.merchandise + (t.shipping ?? 0) + (t.tax ?? 0));
  });

  it('does not depend on the order promotions are listed in', () => {
    const lines = [line(2000, 1, 'p1'), line(1000), line(700, 3, 'p2')];
    const list = [pct(1000), pct(1500, onP1), fixed(300, { productIds: ['p2'] }), bxgy(1, 1)];
    const eligible = (p: Promotion) => {
      const v = checkPromotion(p, { now: new Date(), currency: 'USD', lines, customerId: null, customerUses: 0 });
      return { promotion: p, eligible: v.ok ? v.eligible : [] };
    };
    const a = computeTotals({ lines, promotions: list.map(eligible), shipping: null, tax: CA });
    const b = computeTotals({ lines, promotions: [...list].reverse().map(eligible), shipping: null, tax: CA });
    expect(b).toEqual(a);
  });
});
