import { describe, expect, it } from 'vitest';
import type { Order } from './domain.ts';
import { refundFor, refusal, withinWindow } from './returns-rules.ts';

const line = (sku: string, quantity: number, unitPrice: number) => ({
  sku,
  productId: 'p',
  name: null,
  quantity,
  unitPrice,
  subtotal: quantity * unitPrice,
  discount: 0,
  total: quantity * unitPrice,
  tax: Math.round((quantity * unitPrice) / 10),
});
// 3 × 333 + 1 × 1000, 10 % tax, 500 shipping, 100 off the order.
const order = {
  currency: 'USD',
  lines: [line('A', 3, 333), line('B', 1, 1_000)],
  totals: { subtotal: 1_999, discount: 100, shipping: 500, tax: 200, total: 2_599 },
  refunded: 0,
} as unknown as Order;

describe('return rules', () => {
  it('returning every unit in pieces refunds exactly what was paid for merchandise', () => {
    const one = refundFor(order, [{ sku: 'A', qty: 1, reason: 'changed_mind' }], new Map(), false);
    const two = refundFor(order, [{ sku: 'A', qty: 2, reason: 'changed_mind' }], new Map([['A', 1]]), false);
    const b = refundFor(order, [{ sku: 'B', qty: 1, reason: 'changed_mind' }], new Map([['A', 3]]), false);
    expect(one.shipping + two.shipping).toBe(0);
    // The last piece completes the order: shipping comes back with it.
    expect(b.shipping).toBe(500);
    expect(one.total + two.total + b.total).toBe(2_599);
  });

  it('damaged or wrong items refund shipping at once, and only once', () => {
    expect(refundFor(order, [{ sku: 'B', qty: 1, reason: 'damaged' }], new Map(), false).shipping).toBe(500);
    expect(refundFor(order, [{ sku: 'B', qty: 1, reason: 'wrong_item' }], new Map(), true).shipping).toBe(0);
  });

  it('never refunds more than is left', () => {
    expect(
      refundFor({ ...order, refunded: 2_500 }, [{ sku: 'B', qty: 1, reason: 'damaged' }], new Map(), false).total,
    ).toBe(99);
  });

  it('refuses units not bought or already returned, and outside the window', () => {
    expect(refusal(order, [{ sku: 'Z', qty: 1, reason: 'other' }], new Map())).toMatch(/not in this order/);
    expect(refusal(order, [{ sku: 'A', qty: 2, reason: 'other' }], new Map([['A', 2]]))).toMatch(/only 1/);
    const now = new Date('2025-02-01T00:00:00Z');
    expect(withinWindow(new Date('2025-01-10T00:00:00Z'), now)).toBe(true);
    expect(withinWindow(new Date('2024-12-01T00:00:00Z'), now)).toBe(false);
    expect(withinWindow(null, now)).toBe(false);
  });
});
