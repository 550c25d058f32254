import { describe, expect, it } from 'vitest';
import { changeSet, netChanges, type RowChange, rowEvents, totalEvent, totalMayCross } from './domain-events.ts';

const row = (location: string, before: [number, number], after: [number, number], lowThreshold = 5): RowChange => ({
  sku: 'A',
  location,
  before: { onHand: before[0], reserved: before[1] },
  after: { onHand: after[0], reserved: after[1] },
  lowThreshold,
});

describe('rowEvents', () => {
  it.each([
    ['crossing down to the threshold', row('wh', [10, 4], [10, 5]), true],
    ['already low', row('wh', [10, 6], [10, 7]), false],
    ['going up', row('wh', [10, 9], [12, 9]), false],
    ['threshold 0: only when it runs out', row('wh', [10, 9], [10, 10], 0), true],
  ])('low on %s: %s', (_n, change, low) => {
    const e = rowEvents(change, 'reservation');
    expect(e.changed).toEqual({
      sku: 'A',
      location: 'wh',
      onHand: change.after.onHand,
      reserved: change.after.reserved,
      available: change.after.onHand - change.after.reserved,
      reason: 'reservation',
    });
    expect(e.low !== undefined).toBe(low);
  });
});

describe('totals', () => {
  it.each([
    [5, -1, null],
    [0, -2, 'stock.out.v1'],
    [3, 3, 'stock.back-in-stock.v1'],
    [3, 2, null],
    [0, 0, null],
  ] as const)('total after %i, net %i → %s', (after, net, subject) => {
    expect(totalEvent('A', after, net)?.subject ?? null).toBe(subject);
  });

  it('a row that has stock before and after keeps the total positive', () => {
    expect(totalMayCross([row('a', [5, 0], [5, 1]), row('b', [1, 0], [1, 1])], 'A')).toBe(false);
    expect(totalMayCross([row('b', [1, 0], [1, 1])], 'A')).toBe(true);
    expect(totalMayCross([row('b', [1, 1], [2, 1])], 'A')).toBe(true);
  });

  it('nets a transfer to nothing', () => {
    expect(netChanges([row('a', [5, 0], [3, 0]), row('b', [0, 0], [2, 0])]).size).toBe(0);
    expect(netChanges([row('a', [5, 0], [5, 2])]).get('A')).toBe(-2);
  });
});

describe('changeSet', () => {
  it('keeps the first before and the last after of a row changed twice, in lock order', () => {
    const c = changeSet();
    c.record(row('b', [1, 0], [1, 1]));
    c.record(row('a', [5, 0], [5, 1]));
    c.record(row('a', [5, 1], [5, 3]));
    expect(c.rows().map((r) => [r.location, r.before.reserved, r.after.reserved])).toEqual([
      ['a', 0, 3],
      ['b', 0, 1],
    ]);
  });
});
