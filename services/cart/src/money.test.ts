import { allocate, applyBasisPoints } from '@storefront/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateMinor, basisPointsOf, formatMoney } from './money.ts';

describe('basisPointsOf', () => {
  it.each([
    [1000, 1000, 100],
    [1010, 500, 51], // 50.5 → 51: half away from zero
    [1009, 500, 50], // 50.45 → 50
    [-1010, 500, -51], // refunds round the same way, mirrored
    [1, 5000, 1], // 0.5 → 1
    [1, 4999, 0],
    [101, 725, 7], // 7.3225
    [0, 10_000, 0],
    [99_999_999_999, 10_000, 99_999_999_999],
    // Beyond 2^53 for the product: still exact.
    [9_007_199_254_740, 9_999, 9_006_298_534_815], // …814.526
  ])('%d × %d bp = %d', (amount, bp, want) => {
    expect(basisPointsOf(amount, bp)).toBe(want);
  });

  it('agrees with the contracts rule wherever that one is exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), fc.integer({ min: 0, max: 10_000 }), (amount, bp) => {
        expect(basisPointsOf(amount, bp)).toBe(applyBasisPoints({ amount, currency: 'USD' }, bp).amount + 0); // contracts can say -0
      }),
    );
  });
});

describe('allocateMinor', () => {
  it.each([
    [100, [333, 333, 334], [33, 33, 34]],
    [1000, [3333, 3333, 3334], [333, 333, 334]],
    [10, [1, 1, 1], [4, 3, 3]], // ties: the earlier line gets the remainder first
    [5, [0, 10], [0, 5]], // an empty line gets nothing
    [0, [5, 5], [0, 0]],
    [7, [0, 0], [0, 0]],
  ])('%d over %o = %o', (total, weights, want) => {
    expect(allocateMinor(total, weights)).toEqual(want);
  });

  it('sums to the whole, never gives a part more than its weight, and matches the contracts rule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e11 }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, share) => {
          const sum = weights.reduce((s, w) => s + w, 0);
          const total = Math.floor(sum * share);
          const parts = allocateMinor(total, weights);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(weights[i] ?? 0);
          });
          if (sum > 0 && sum * total < 2 ** 53 && weights.every((w) => w > 0)) {
            expect(parts).toEqual(allocate({ amount: total, currency: 'USD' }, weights).map((m) => m.amount));
          }
        },
      ),
    );
  });
});

describe('formatMoney', () => {
  it.each([
    [5000, 'USD', '$50.00'],
    [5, 'EUR', '€0.05'],
    [1234, 'JPY', '¥1234'],
    [5000, 'CHF', '50.00 CHF'],
  ])('%d %s → %s', (amount, currency, want) => {
    expect(formatMoney(amount, currency)).toBe(want);
  });
});
