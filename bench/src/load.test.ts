import { describe, expect, it } from 'vitest';
import { laneRates } from './load.ts';

describe('laneRates', () => {
  it.each([
    [500, 20, Array(20).fill(25)],
    [10, 4, [3, 3, 2, 2]],
    [3, 20, [1, 1, 1]],
    [1, 1, [1]],
  ])('%d req/s over %d lanes', (rate, lanes, want) => {
    const got = laneRates(rate, lanes);
    expect(got).toEqual(want);
    expect(got.reduce((a, b) => a + b, 0)).toBe(rate);
  });
});
