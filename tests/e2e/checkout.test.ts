import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from './platform.ts';

/**
 * A guest buys something the way the web shop will do it, through the gateway only: a cart, a
 * line, shipping, a sandbox card turned into a token, checkout with an Idempotency-Key, and the
 * order followed until the saga confirms it (reserve → authorize → commit → capture → ship).
 */
describe('guest checkout through the gateway', () => {
  let platform: Platform;
  // biome-ignore lint/suspicious/noExplicitAny: journeys probe JSON bodies.
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${platform.gatewayUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    platform = await startPlatform({ seedProducts: 300 });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  async function cartWithOneItem() {
    const created = await call('POST', '/api/cart/carts', { currency: 'USD' });
    expect(created.status).toBe(201);
    const cartId: string = created.body.cart.id;
    const headers = { 'x-cart-token': created.body.token as string };
    const list = await call('GET', '/api/catalog/products?q=headphones&limit=10');
    let added: { status: number; body: unknown } | undefined;
    for (const item of list.body.items as { slug: string }[]) {
      const product = await call('GET', `/api/catalog/products/${item.slug}`);
      const sku: string = product.body.variants[0].sku;
      added = await call('POST', `/api/cart/carts/${cartId}/lines`, { sku, quantity: 1 }, headers);
      if (added.status < 300) break;
    }
    expect(added?.status, JSON.stringify(added?.body)).toBeLessThan(300);
    const shipping = await call(
      'PUT',
      `/api/cart/carts/${cartId}/shipping`,
      { option: 'standard', region: 'US-CA' },
      headers,
    );
    expect(shipping.status, JSON.stringify(shipping.body)).toBe(200);
    return { cartId, headers };
  }

  async function cardToken(number: string): Promise<string> {
    const pm = await call('POST', '/api/payments/sandbox/payment-methods', {
      number,
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: '123',
    });
    expect(pm.status, JSON.stringify(pm.body)).toBeLessThan(300);
    return pm.body.id;
  }

  async function checkout(
    cartId: string,
    cartHeaders: Record<string, string>,
    paymentMethod: string,
    key = randomUUID(),
  ) {
    return call(
      'POST',
      '/api/orders/checkout',
      {
        cartId,
        email: 'guest@example.com',
        address: {
          name: 'Ada Guest',
          line1: '1 Market St',
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
        },
        shippingMethod: 'standard',
        paymentMethod,
        returnUrl: `${platform.gatewayUrl}/`,
      },
      { ...cartHeaders, 'idempotency-key': key },
    );
  }

  async function settle(orderId: string, orderToken: string, until: (status: string) => boolean) {
    const deadline = Date.now() + 60_000;
    let last = '';
    while (Date.now() < deadline) {
      const res = await call('GET', `/api/orders/orders/${orderId}`, undefined, { 'x-order-token': orderToken });
      last = res.body?.status ?? `http ${res.status}`;
      if (until(last)) return res.body;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`order ${orderId} stuck at ${last}`);
  }

  it('pays with a sandbox card and ends confirmed; the same Idempotency-Key gives the same order', async () => {
    const { cartId, headers } = await cartWithOneItem();
    const pm = await cardToken('4242 4242 4242 4242');
    const key = randomUUID();
    const placed = await checkout(cartId, headers, pm, key);
    expect(placed.status, JSON.stringify(placed.body)).toBe(202);
    const again = await checkout(cartId, headers, pm, key);
    expect(again.body.order.id).toBe(placed.body.order.id);
    expect(again.body.replayed).toBe(true);
    const order = await settle(placed.body.order.id, placed.body.orderToken, (s) =>
      ['confirmed', 'shipped', 'delivered', 'cancelled'].includes(s),
    );
    expect(order.status).not.toBe('cancelled');
    const stranger = await call('GET', `/api/orders/orders/${placed.body.order.id}`, undefined, {
      'x-order-token': 'x'.repeat(40),
    });
    expect(stranger.status).toBe(404);
  }, 120_000);

  it('a declined card cancels the order with a reason a shopper understands and releases the stock', async () => {
    const { cartId, headers } = await cartWithOneItem();
    const placed = await checkout(cartId, headers, await cardToken('4000000000009995'));
    expect(placed.status).toBe(202);
    const order = await settle(
      placed.body.order.id,
      placed.body.orderToken,
      (s) => s === 'cancelled' || s === 'confirmed',
    );
    expect(order.status).toBe('cancelled');
    expect(JSON.stringify(order)).toMatch(/insufficient funds/i);
  }, 120_000);
});
