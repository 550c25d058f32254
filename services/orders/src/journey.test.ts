import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from './test-fake-cart.ts';
import { type Platform, platform, waitFor } from './test-platform.ts';

/**
 * The checkout journeys end to end on the real bus: orders, inventory, payments (sandbox) and
 * fulfillment (dev carrier) as their own code on their own schemas; the cart at its HTTP boundary.
 */
let p: Platform;
beforeAll(async () => {
  p = await platform({ timing: { authorizeTimeoutMs: 3_000 }, stepMs: 400 });
}, 60_000);
afterAll(() => p.close());

const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

async function checkout(card: string, o: { qty?: number; sku?: string; postalCode?: string; key?: string } = {}) {
  const cartId = newId();
  const cartToken = `tok-${cartId}`;
  p.cart.put(quote(cartId, [{ sku: o.sku ?? 'SKU-A', qty: o.qty ?? 2, price: 1_250 }]), { token: cartToken });
  const body = {
    cartId,
    email: 'ada@example.com',
    address: { ...ADDRESS, postalCode: o.postalCode ?? ADDRESS.postalCode },
    shippingMethod: 'standard',
    paymentMethod: await p.card(card),
    returnUrl: 'https://shop.test/orders/return',
  };
  const headers = { 'idempotency-key': o.key ?? `key-${cartId}`, 'x-cart-token': cartToken };
  const res = await p.call('POST', '/checkout', { body, headers });
  const json = (await res.json()) as {
    order: { id: string; status: string; totals: { total: number } };
    orderToken: string | null;
    statusUrl: string;
  };
  return { res, json, body, headers, cartId };
}

async function order(id: string, token: string | null) {
  const res = await p.call('GET', `/orders/${id}`, { headers: token ? { 'x-order-token': token } : {} });
  return (await res.json()) as {
    status: string;
    statusReason: string | null;
    actionUrl: string | null;
    shipments: unknown[];
    refunded: number;
  };
}

const until = (id: string, token: string | null, statuses: string[], ms = 20_000) =>
  waitFor(
    `order ${id} in ${statuses.join('|')}`,
    async () => {
      const o = await order(id, token);
      return statuses.includes(o.status) ? o : undefined;
    },
    ms,
  );

describe('checkout journeys', () => {
  it('happy path: reserve → authorize → commit → capture → ship → confirmed → delivered', async () => {
    const before = await p.stockOf('SKU-A');
    const { res, json } = await checkout('4242424242424242');
    expect(res.status).toBe(202);
    expect(json.order.status).toBe('pending');
    expect(json.order.totals.total).toBe(2 * 1_250 + 500 + 250);
    const id = json.order.id;
    const confirmed = await until(id, json.orderToken, ['confirmed', 'shipped', 'delivered']);
    expect(confirmed.shipments.length).toBe(1);
    expect(await p.payment(id)).toMatchObject({ state: 'captured', captured: 3_250 });
    expect(await p.stockOf('SKU-A')).toEqual({ onHand: before.onHand - 2, reserved: 0 });
    await until(id, json.orderToken, ['delivered'], 20_000);
  });

  it('decline: stock released, order cancelled with the reason', async () => {
    const before = await p.stockOf('SKU-A');
    const { json } = await checkout('4000000000009995');
    const o = await until(json.order.id, json.orderToken, ['cancelled']);
    expect(o.statusReason).toBe('card declined: insufficient funds');
    await waitFor('stock released', async () => {
      const s = await p.stockOf('SKU-A');
      return s.reserved === before.reserved && s.onHand === before.onHand;
    });
  });

  it('out of stock: cancelled naming the SKU, nothing charged', async () => {
    const { json } = await checkout('4242424242424242', { qty: 5_000 });
    const o = await until(json.order.id, json.orderToken, ['cancelled']);
    expect(o.statusReason).toBe('out of stock: SKU-A');
    expect(await p.payment(json.order.id)).toBeUndefined();
  });

  it('3-D Secure: action required with the actionUrl, completed → confirmed', async () => {
    const { json } = await checkout('4000000000003220');
    const o = await until(json.order.id, json.orderToken, ['payment_action_required']);
    expect(o.actionUrl).toMatch(/\/sandbox\/3ds\//);
    const paymentId = /3ds\/([^/?]+)/.exec(o.actionUrl ?? '')?.[1] ?? '';
    const page = await (await p.payments.request(`/sandbox/3ds/${paymentId}`)).text();
    const formToken = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
    await p.sandbox.completeChallenge(paymentId, formToken, true);
    await until(json.order.id, json.orderToken, ['confirmed', 'shipped', 'delivered']);
  });

  it('payment that never answers (challenge abandoned): timeout → void + release → cancelled', async () => {
    const before = await p.stockOf('SKU-A');
    const { json } = await checkout('4000002500003155');
    const o = await until(json.order.id, json.orderToken, ['cancelled'], 15_000);
    expect(o.statusReason).toBe('payment timed out');
    await waitFor('payment voided', async () => (await p.payment(json.order.id))?.state === 'voided');
    await waitFor('stock released', async () => (await p.stockOf('SKU-A')).reserved === before.reserved);
  });

  it('shipment creation fails after capture: refund and release follow', async () => {
    const before = await p.stockOf('SKU-A');
    const { json } = await checkout('4242424242424242', { postalCode: '00000' });
    const o = await until(json.order.id, json.orderToken, ['cancelled']);
    expect(o.statusReason).toMatch(/^shipment could not be created/);
    await waitFor('refunded', async () => (await p.payment(json.order.id))?.state === 'refunded');
    await waitFor('stock back', async () => {
      const s = await p.stockOf('SKU-A');
      return s.onHand === before.onHand && s.reserved === before.reserved;
    });
    expect((await order(json.order.id, json.orderToken)).refunded).toBe(3_250);
  });

  it('staff cancel before shipment: shipment cancelled, refunded, stock back', async () => {
    const before = await p.stockOf('SKU-B');
    const { json } = await checkout('4242424242424242', { sku: 'SKU-B' });
    await until(json.order.id, json.orderToken, ['confirmed']);
    const staff = await p.token('staff-1', ['support']);
    const res = await p.call('POST', `/admin/orders/${json.order.id}/cancel`, {
      token: staff,
      body: { reason: 'customer called' },
    });
    expect(res.status).toBe(202);
    const o = await until(json.order.id, json.orderToken, ['cancelled']);
    expect(o.statusReason).toBe('cancelled by staff: customer called');
    await waitFor('refunded', async () => (await p.payment(json.order.id))?.state === 'refunded');
    await waitFor('stock back', async () => {
      const s = await p.stockOf('SKU-B');
      return s.onHand === before.onHand && s.reserved === before.reserved;
    });
  });

  it('idempotency: the same key and body answer one order; another body with that key is 422', async () => {
    const first = await checkout('4242424242424242');
    const again = await p.call('POST', '/checkout', { body: first.body, headers: first.headers });
    expect(again.status).toBe(202);
    const j = (await again.json()) as { order: { id: string }; replayed: boolean; orderToken: string };
    expect(j).toMatchObject({ order: { id: first.json.order.id }, replayed: true, orderToken: first.json.orderToken });
    const other = await p.call('POST', '/checkout', {
      body: { ...first.body, email: 'eve@example.com' },
      headers: first.headers,
    });
    expect(other.status).toBe(422);
    const { rows } = await p.dbs.orders.query(`SELECT count(*)::int AS n FROM orders WHERE cart_id = $1`, [
      first.cartId,
    ]);
    expect(rows[0]).toEqual({ n: 1 });
    await until(first.json.order.id, first.json.orderToken, ['confirmed', 'shipped', 'delivered']);
  });
});
