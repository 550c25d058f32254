import { describe, expect, it } from 'vitest';
import { applyPosLine, orderPosLines, type PosLine, type PosState } from './domain-pos.ts';

const t = (hhmm: string) => new Date(`2026-03-01T${hhmm}:00Z`);
const sale = (qty: number, at: string): PosLine => ({ lineId: `s${at}`, type: 'sale', sku: 'A', qty, at: t(at) });
const count = (onHand: number, at: string): PosLine => ({
  lineId: `c${at}`,
  type: 'count',
  sku: 'A',
  onHand,
  at: t(at),
});
const state = (onHand: number, reserved = 0, counted?: string): PosState => ({
  onHand,
  reserved,
  lastCountedAt: counted ? t(counted) : null,
});

describe('applyPosLine', () => {
  it.each([
    ['a sale decrements', state(10), sale(3, '10:00'), 0, 7, 'applied', 0],
    ['a sale stops at what is reserved', state(10, 8), sale(3, '10:00'), 0, 8, 'applied', 1],
    ['a sale of more than on hand stops at 0', state(2), sale(5, '10:00'), 0, 0, 'applied', 3],
    ['a sale before the last count is already in it', state(10, 0, '11:00'), sale(3, '10:59'), 0, 10, 'counted', 0],
    ['a sale at the count time is in it too', state(10, 0, '11:00'), sale(3, '11:00'), 0, 10, 'counted', 0],
    ['a count sets on hand', state(10), count(4, '10:00'), 0, 4, 'applied', 0],
    ['a count minus later sales already applied', state(7), count(10, '10:00'), 3, 7, 'applied', 0],
    ['a count below reserved stops at reserved', state(10, 6), count(4, '10:00'), 0, 6, 'applied', 2],
    ['an older count is stale', state(10, 0, '11:00'), count(4, '10:00'), 0, 10, 'stale', 0],
    ['a newer count replaces the last', state(10, 0, '11:00'), count(4, '12:00'), 0, 4, 'applied', 0],
  ] as const)('%s', (_name, s, line, salesAfter, onHand, outcome, shortfall) => {
    const step = applyPosLine(s, line, salesAfter);
    expect(step).toMatchObject({ outcome, shortfall, state: { onHand, reserved: s.reserved } });
  });

  it('records the count time, not the sale time', () => {
    expect(applyPosLine(state(5), count(5, '09:00'), 0).state.lastCountedAt).toEqual(t('09:00'));
    expect(applyPosLine(state(5, 0, '08:00'), sale(1, '09:00'), 0).state.lastCountedAt).toEqual(t('08:00'));
  });

  it('a late batch gives the same on hand as the lines in time order', () => {
    // 10:00 count 20, 10:05 sale 2, 10:10 sale 3 — the till sends the sales first, the count later.
    let s = state(50);
    s = applyPosLine(s, sale(2, '10:05'), 0).state;
    s = applyPosLine(s, sale(3, '10:10'), 0).state;
    s = applyPosLine(s, count(20, '10:00'), 5).state;
    expect(s.onHand).toBe(15);
  });
});

describe('orderPosLines', () => {
  it('sorts by sku, then time, then arrival', () => {
    const lines: PosLine[] = [
      { lineId: '1', type: 'sale', sku: 'B', qty: 1, at: t('10:00') },
      { lineId: '2', type: 'sale', sku: 'A', qty: 1, at: t('10:05') },
      { lineId: '3', type: 'count', sku: 'A', onHand: 1, at: t('10:00') },
      { lineId: '4', type: 'sale', sku: 'A', qty: 1, at: t('10:05') },
    ];
    expect(orderPosLines(lines).map((l) => l.lineId)).toEqual(['3', '2', '4', '1']);
  });
});
