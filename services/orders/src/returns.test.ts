import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from './test-fake-cart.ts';
import { type Platform, platform, waitFor } from './test-platform.ts';

/** Returns end to end: delivered order → request → approve → label → received → inspect → refund + restock. */
let p: Platform;
beforeAll(async () => {
  p = await platform({ stepMs: 150 });
}, 60_000);
afterAll(() => p.close());

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

async function deliveredOrder(customer: string) {
  const cartId = newId();
  p.cart.put(
    quote(cartId, [
      { sku: 'SKU-A', qty: 2, price: 1_000 },
      { sku: 'SKU-B', qty: 1, price: 3_000 },
    ]),
    { customerId: customer },
  );
  const token = await p.token(customer);
  const res = await p.call('POST', '/checkout', {
    token,
    headers: { 'idempotency-key': `key-${cartId}` },
    body: {
      cartId,
      address: ADDRESS,
      shippingMethod: 'standard',
      paymentMethod: await p.card('4242424242424242'),
      returnUrl: 'https://shop.test/r',
    },
  });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { order: { id: string } }).order.id;
  await waitFor(
    'delivered',
    async () =>
      ((await (await p.call('GET', `/orders/${id}`, { token })).json()) as { status: string }).status === 'delivered',
    30_000,
  );
  return { id, token };
}

describe('returns', () => {
  it('full return: refund of everything paid (shipping too) and restock at the chosen location', async () => {
    const { id, token } = await deliveredOrder('cust-r1');
    const before = await p.stockOf('SKU-A');
    const lines = [
      { sku: 'SKU-A', qty: 2, reason: 'changed_mind' },
      { sku: 'SKU-B', qty: 1, reason: 'does_not_fit' },
    ];
    const other = await p.token('cust-intruder');
    expect((await p.call('POST', `/orders/${id}/returns`, { token: other, body: { lines } })).status).toBe(404);
    expect((await p.call('GET', `/orders/${id}`, { token: other })).status).toBe(404);
    expect((await p.call('GET', `/orders/${id}/returns`, { token: other })).status).toBe(404);
    const created = await p.call('POST', `/orders/${id}/returns`, { token, body: { lines } });
    expect(created.status).toBe(201);
    const r = (await created.json()) as { id: string; status: string };
    expect(r.status).toBe('requested');
    // The same units cannot be returned twice.
    expect((await p.call('POST', `/orders/${id}/returns`, { token, body: { lines } })).status).toBe(409);

    const staff = await p.token('staff-r', ['support']);
    expect(
      (await p.call('POST', `/admin/returns/${r.id}/approve`, { token: staff, body: { toLocation: 'wh-2' } })).status,
    ).toBe(200);
    const status = async () =>
      (
        (await (await p.call('GET', `/orders/${id}/returns`, { token })).json()) as {
          items: { status: string; refundAmount: number | null; restocked: boolean }[];
        }
      ).items[0];
    await waitFor('received', async () => (await status())?.status === 'received', 20_000);
    const inspected = await p.call('POST', `/admin/returns/${r.id}/inspect`, {
      token: staff,
      body: { restockLocation: 'wh-2' },
    });
    expect(inspected.status).toBe(200);
    const done = await waitFor('refunded and restocked', async () => {
      const s = await status();
      return s?.status === 'refunded' && s.restocked ? s : undefined;
    });
    // 2×1000 + 3000 + 10 % tax + 500 shipping: everything paid comes back for a whole-order return.
    expect(done.refundAmount).toBe(6_000);
    await waitFor('payment refunded', async () => (await p.payment(id))?.state === 'refunded');
    const order = (await (await p.call('GET', `/orders/${id}`, { token })).json()) as { refunded: number };
    expect(order.refunded).toBe(6_000);
    const { rows } = await p.dbs.inventory.query(`SELECT on_hand FROM stock WHERE sku = 'SKU-A' AND location = 'wh-2'`);
    expect(rows[0]).toEqual({ on_hand: 2 });
    expect((await p.stockOf('SKU-A')).onHand).toBe(before.onHand + 2);
  }, 60_000);

  it('partial return for a change of mind keeps the shipping; staff may refund less', async () => {
    const { id, token } = await deliveredOrder('cust-r2');
    const res = await p.call('POST', `/orders/${id}/returns`, {
      token,
      body: { lines: [{ sku: 'SKU-A', qty: 1, reason: 'changed_mind' }] },
    });
    const r = (await res.json()) as { id: string };
    const staff = await p.token('staff-r', ['admin']);
    await p.call('POST', `/admin/returns/${r.id}/approve`, { token: staff, body: { toLocation: 'wh-1' } });
    const inspected = await p.call('POST', `/admin/returns/${r.id}/inspect`, {
      token: staff,
      body: { restockLocation: 'wh-1', refundAmount: 900 },
    });
    expect(inspected.status).toBe(200);
    expect(((await inspected.json()) as { refundAmount: number }).refundAmount).toBe(900);
    await waitFor('partially refunded', async () => (await p.payment(id))?.refunded === 900);
  }, 60_000);
});
