import { describe, expect, it } from 'vitest';
import { checkPromotion, type EvalContext, type Promotion, promotionProblems } from './domain-promotions.ts';
import { line, promo } from './test-fixtures.ts';

/** When a code applies, and the reason shoppers see when it does not: one row per rule. */

const now = new Date('2025-06-15T12:00:00Z');
const cart = (o: Partial<EvalContext> = {}): EvalContext => ({
  now,
  currency: 'USD',
  lines: [line(3000, 1, 'p1', ['c-shoes', 'c-apparel']), line(1000, 1, 'p2')],
  customerId: 'cust-1',
  customerUses: 0,
  ...o,
});
const tenPct = (p: Partial<Promotion> = {}) =>
  promo({ code: 'TEN', effect: { kind: 'percentage', percentBp: 1000 }, ...p });

const refusals: [string, Promotion, EvalContext, string, string][] = [
  ['deactivated', tenPct({ active: false }), cart(), 'inactive', 'this code is not valid'],
  [
    'not started',
    tenPct({ startsAt: '2025-07-01T00:00:00.000Z' }),
    cart(),
    'not_started',
    'this code is valid from 2025-07-01',
  ],
  ['expired', tenPct({ endsAt: '2025-06-01T00:00:00.000Z' }), cart(), 'expired', 'this code expired on 2025-06-01'],
  ['ends exactly now', tenPct({ endsAt: now.toISOString() }), cart(), 'expired', 'this code expired on 2025-06-15'],
  [
    'customers only, as a guest',
    tenPct({ customerOnly: true }),
    cart({ customerId: null }),
    'sign_in',
    'sign in to use this code',
  ],
  [
    'per-customer limit, as a guest',
    tenPct({ perCustomerLimit: 1 }),
    cart({ customerId: null }),
    'sign_in',
    'sign in to use this code',
  ],
  [
    'total uses reached',
    tenPct({ usageLimit: 100, usedCount: 100 }),
    cart(),
    'usage_limit',
    'this code has been used up',
  ],
  [
    'already used by this customer',
    tenPct({ perCustomerLimit: 1 }),
    cart({ customerUses: 1 }),
    'already_used',
    'you have already used this code',
  ],
  ['other currency', tenPct({ currency: 'EUR' }), cart(), 'currency', 'this code is only valid in EUR'],
  [
    'no covered product',
    tenPct({ productIds: ['p9'] }),
    cart(),
    'products',
    'this code is not valid for these products',
  ],
  [
    'no covered category',
    tenPct({ categoryIds: ['c-toys'] }),
    cart(),
    'products',
    'this code is not valid for these products',
  ],
  ['empty cart', tenPct(), cart({ lines: [] }), 'products', 'add something to your cart first'],
  [
    'below the minimum subtotal',
    tenPct({ currency: 'USD', minSubtotal: 5000 }),
    cart(),
    'min_subtotal',
    'this code needs a subtotal of at least $50.00',
  ],
  [
    'below the minimum of eligible products',
    tenPct({ currency: 'USD', minSubtotal: 3500, categoryIds: ['c-shoes'] }),
    cart(),
    'min_subtotal',
    'this code needs a subtotal of eligible products of at least $35.00',
  ],
  [
    'minimum in euros',
    tenPct({ currency: 'EUR', minSubtotal: 10_000 }),
    cart({ currency: 'EUR' }),
    'min_subtotal',
    'this code needs a subtotal of at least €100.00',
  ],
  [
    'buy 2 get 1 with two items',
    promo({ code: 'B2G1', effect: { kind: 'buy_x_get_y', buy: 2, get: 1, discountBp: 10_000 } }),
    cart(),
    'quantity',
    'this code needs 3 eligible items in the cart',
  ],
];

describe('checkPromotion', () => {
  it.each(refusals)('refuses: %s', (_name, p, ctx, reasonCode, reason) => {
    expect(checkPromotion(p, ctx)).toEqual({ ok: false, reasonCode, reason });
  });

  it.each([
    ['plain', tenPct(), cart(), [0, 1]],
    ['exactly the minimum', tenPct({ currency: 'USD', minSubtotal: 4000 }), cart(), [0, 1]],
    ['within its window', tenPct({ startsAt: '2025-06-01T00:00:00Z', endsAt: '2025-07-01T00:00:00Z' }), cart(), [0, 1]],
    [
      'a category covers its subtree (ancestors listed on the line)',
      tenPct({ categoryIds: ['c-apparel'] }),
      cart(),
      [0],
    ],
    ['by product', tenPct({ productIds: ['p2'] }), cart(), [1]],
    [
      'one use left',
      tenPct({ usageLimit: 100, usedCount: 99, perCustomerLimit: 2 }),
      cart({ customerUses: 1 }),
      [0, 1],
    ],
  ] as const)('applies: %s', (_name, p, ctx, eligible) => {
    expect(checkPromotion(p, ctx)).toEqual({ ok: true, eligible });
  });

  it('gives the first reason a shopper can act on: expiry before the subtotal', () => {
    const p = tenPct({ endsAt: '2025-01-01T00:00:00Z', currency: 'USD', minSubtotal: 999_999 });
    expect(checkPromotion(p, cart())).toMatchObject({ reasonCode: 'expired' });
  });
});

describe('promotionProblems', () => {
  const base = tenPct();
  it.each([
    [{ effect: { kind: 'fixed', amount: 500 } as const }, ['a fixed-amount promotion needs a currency']],
    [{ minSubtotal: 100 }, ['a minimum subtotal needs a currency']],
    [{ startsAt: '2025-02-01T00:00:00Z', endsAt: '2025-01-01T00:00:00Z' }, ['endsAt must be after startsAt']],
    [{ currency: 'USD', minSubtotal: 100, effect: { kind: 'fixed', amount: 500 } as const }, []],
  ])('%o → %o', (patch, problems) => {
    expect(promotionProblems({ ...base, ...patch })).toEqual(problems);
  });
});
