import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderNumber } from './domain.ts';
import { quote } from './test-fake-cart.ts';
import { type Platform, platform } from './test-platform.ts';

/** Order numbers: short, time-sorted, distinct within a millisecond, and a clash never refuses a checkout. */
const next: string[] = [];
let p: Platform;
beforeAll(async () => {
  p = await platform({ ordersNewId: () => next.shift() ?? newId() });
}, 60_000);
afterAll(() => p.close());

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

async function checkout() {
  const cartId = newId();
  p.cart.put(quote(cartId, [{ sku: 'SKU-A', qty: 1, price: 1_000 }]), { token: `t-${cartId}` });
  const res = await p.call('POST', '/checkout', {
    headers: { 'idempotency-key': `key-${cartId}`, 'x-cart-token': `t-${cartId}` },
    body: {
      cartId,
      email: 'ada@example.com',
      address: ADDRESS,
      shippingMethod: 'standard',
      paymentMethod: await p.card('4242424242424242'),
      returnUrl: 'https://shop.test/r',
    },
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { order: { id: string; number: string } }).order;
}

describe('order numbers', () => {
  it('differ for ids of one millisecond and sort by time', () => {
    const t = Date.now();
    const same = new Set(Array.from({ length: 50 }, () => orderNumber(newId(t))));
    expect(same.size).toBeGreaterThan(45);
    expect(orderNumber(newId(t))).toMatch(/^SF-[0-9A-F]{16}$/);
    expect(orderNumber(newId(t)) < orderNumber(newId(t + 1))).toBe(true);
  });

  it('a number already taken: the order is placed under another id, not refused as the cart’s', async () => {
    const a = await checkout();
    // Same millisecond and the same random digits the number shows; another id all the same.
    const clash = `${a.id.slice(0, 24)}${a.id.slice(24) === '000000000000' ? '111111111111' : '000000000000'}`;
    expect(orderNumber(clash)).toBe(a.number);
    next.push(clash);
    const b = await checkout();
    expect(next).toEqual([]);
    expect(b.id).not.toBe(clash);
    expect(b.number).not.toBe(a.number);
    const { rowCount } = await p.dbs.orders.query('SELECT 1 FROM orders WHERE id = $1', [clash]);
    expect(rowCount).toBe(0);
  }, 30_000);
});
