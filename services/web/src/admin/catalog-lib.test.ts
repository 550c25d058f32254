import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromMinor, parsePairs, toMinor } from './catalog-lib.ts';

describe('money and option helpers', () => {
  it('turns typed amounts into minor units and back', () => {
    expect(toMinor('19.99', 'USD')).toBe(1999);
    expect(toMinor('19.9', 'USD')).toBe(1990);
    expect(toMinor('20', 'USD')).toBe(2000);
    expect(toMinor('1,200.50', 'EUR')).toBe(120050);
    expect(toMinor('500', 'JPY')).toBe(500);
    expect(toMinor('5.5', 'JPY')).toBeUndefined();
    expect(toMinor('1.999', 'USD')).toBeUndefined();
    expect(toMinor('abc', 'USD')).toBeUndefined();
    expect(fromMinor(1999, 'USD')).toBe('19.99');
    expect(fromMinor(500, 'JPY')).toBe('500');
    expect(fromMinor(null, 'USD')).toBe('');
  });

  it('round-trips any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.constantFrom('USD', 'EUR', 'JPY'), (n, cur) => {
        expect(toMinor(fromMinor(n, cur), cur)).toBe(n);
      }),
    );
  });

  it('reads "name: value" lines and says what is wrong', () => {
    expect(parsePairs('color: Black\n size : M \n\n')).toEqual({ color: 'Black', size: 'M' });
    expect(parsePairs('')).toEqual({});
    expect(parsePairs('just text')).toMatch(/name: value/);
    expect(parsePairs('a: 1\na: 2')).toMatch(/twice/);
  });
});
