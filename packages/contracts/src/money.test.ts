import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, allocate, applyBasisPoints, formatMinor, money, subtractMoney } from './money.ts';

describe('money', () => {
  it('refuses floats and mixed currencies', () => {
    expect(() => money(10.5, 'USD')).toThrow(/integer/);
    expect(() => addMoney(money(1, 'USD'), money(1, 'EUR'))).toThrow(/currency mismatch/);
    expect(subtractMoney(money(500, 'EUR'), money(120, 'EUR'))).toEqual({ amount: 380, currency: 'EUR' });
  });

  it.each([
    [1000, 2000, 200], // 20% of $10.00
    [999, 1250, 125], // 12.5% of 9.99 = 124.875 → 125
    [1, 5000, 1], // half a cent rounds away from zero
    [-1, 5000, -1],
    [333, 3333, 111], // 110.9889 → 111
    [0, 2000, 0],
  ])('applies %i × %i bp = %i (half away from zero)', (amount, bp, expected) => {
    expect(applyBasisPoints(money(amount, 'USD'), bp).amount).toBe(expected);
  });

  it('allocates without losing or inventing a cent', () => {
    expect(allocate(money(100, 'USD'), [1, 1, 1]).map((m) => m.amount)).toEqual([34, 33, 33]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }),
        (amount, weights) => {
          const parts = allocate(money(amount, 'USD'), weights);
          expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(amount);
          expect(parts.every((p) => p.amount >= 0)).toBe(true);
        },
      ),
    );
  });

  it('formats minor units per currency', () => {
    expect(formatMinor(money(1234, 'USD'))).toBe('12.34');
    expect(formatMinor(money(5, 'EUR'))).toBe('0.05');
    expect(formatMinor(money(-250, 'GBP'))).toBe('-2.50');
    expect(formatMinor(money(1500, 'JPY'))).toBe('1500');
  });
});
