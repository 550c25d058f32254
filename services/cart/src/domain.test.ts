import { describe, expect, it } from 'vitest';
import { type CartLine, checkLine, mergeLines } from './domain.ts';

const l = (sku: string, quantity: number, unitPrice = 100): CartLine => ({
  sku,
  productId: `00000000-0000-7000-8000-${sku.padStart(12, '0')}`,
  quantity,
  unitPrice,
  addedAt: '2025-01-01T00:00:00.000Z',
});
const limits = { maxLineQuantity: 10, maxLines: 3 };
const q = (lines: CartLine[]) => lines.map((x) => [x.sku, x.quantity]);

describe('mergeLines', () => {
  it.each([
    [
      'disjoint carts concatenate, customer lines first',
      [l('A', 1)],
      [l('B', 2)],
      [
        ['A', 1],
        ['B', 2],
      ],
      [],
      [],
    ],
    ['quantities of the same SKU add up', [l('A', 3)], [l('A', 4)], [['A', 7]], [], []],
    ['sums are capped at the per-line limit', [l('A', 8)], [l('A', 5)], [['A', 10]], ['A'], []],
    [
      'lines beyond the line limit are dropped',
      [l('A', 1), l('B', 1)],
      [l('C', 1), l('D', 1)],
      [
        ['A', 1],
        ['B', 1],
        ['C', 1],
      ],
      [],
      ['D'],
    ],
    [
      'an existing SKU still merges when the cart is full',
      [l('A', 1), l('B', 1), l('C', 1)],
      [l('B', 2), l('D', 1)],
      [
        ['A', 1],
        ['B', 3],
        ['C', 1],
      ],
      [],
      ['D'],
    ],
    ['an empty guest cart changes nothing', [l('A', 2)], [], [['A', 2]], [], []],
  ])('%s', (_name, target, source, lines, capped, dropped) => {
    const r = mergeLines(target, source, limits);
    expect(q(r.lines)).toEqual(lines);
    expect(r.capped).toEqual(capped);
    expect(r.dropped).toEqual(dropped);
  });

  it("keeps the price the customer's cart saw for a SKU in both", () => {
    const r = mergeLines([l('A', 1, 900)], [l('A', 1, 1200)], limits);
    expect(r.lines[0]?.unitPrice).toBe(900);
  });
});

describe('checkLine', () => {
  it.each([
    ['within limits', 'A', 10, [l('B', 1)], 100, null],
    ['over the per-line limit', 'A', 11, [], 100, 'quantity_limit'],
    ['one line too many', 'D', 1, [l('A', 1), l('B', 1), l('C', 1)], 100, 'too_many_lines'],
    ['a cart worth more than 10^11', 'A', 2, [], 60_000_000_000, 'cart_too_large'],
  ])('%s', (_name, sku, quantity, others, price, code) => {
    const run = () => checkLine(sku, quantity, others, price, limits);
    if (code === null) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code }));
  });
});
