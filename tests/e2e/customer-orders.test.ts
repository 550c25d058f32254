import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from './platform.ts';

/**
 * A signed-in customer orders twice in a row through the gateway only, and retries a declined
 * card. It holds the cart ⇄ orders contract end to end: orders announces the order placed from a
 * cart (order.placed.v1 with its cartId), the cart closes it (`ordered`, so /carts/mine no longer
 * answers it and POST /carts starts a new one), and a cancelled order's cart opens again.
 */
describe('a customer orders twice in a row', () => {
  let platform: Platform;
  let bearer: Record<string, string>;
  const skus: string[] = [];
  const email = `twice.${Date.now().toString(36)}@example.com`;
  const password = 'correct horse battery staple';

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${platform.gatewayUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: journeys probe JSON bodies.
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const as = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(method, path, body, { ...bearer, ...headers });

  async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    platform = await startPlatform({ seedProducts: 60 });
    expect(platform.failed).toEqual([]);
    // Sign up, confirm the email with the link identity logs in development, sign in (bearer).
    expect((await call('POST', '/api/identity/register', { email, password })).status).toBe(202);
    const token = await until('the verification link', async () => {
      const line = platform.output
        .join('')
        .split('\n')
        .find((l) => l.includes(email) && l.includes('verify-email?token='));
      return line?.match(/verify-email\?token=([\w-]+)/)?.[1];
    });
    expect((await call('POST', '/api/identity/email/verify', { token })).status).toBe(200);
    const login = await call('POST', '/api/identity/login', { email, password });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    bearer = { authorization: `Bearer ${login.body.accessToken}` };
    // SKUs with stock to spare.
    const list = await call('GET', '/api/catalog/products?limit=30&sort=newest');
    for (const item of list.body.items as { slug: string }[]) {
      const product = await call('GET', `/api/catalog/products/${item.slug}`);
      const usd = (product.body.variants as { sku: string; prices: { currency: string }[] }[])
        .filter((v) => v.prices.some((p) => p.currency === 'USD'))
        .map((v) => v.sku);
      if (usd.length === 0) continue;
      const avail = await call('GET', `/api/inventory/availability?${usd.map((s) => `sku=${s}`).join('&')}`);
      const ok = (avail.body.items as { sku: string; available: number }[]).find((a) => a.available >= 5);
      if (ok) skus.push(ok.sku);
      if (skus.length >= 3) break;
    }
    expect(skus.length).toBe(3);
  }, 240_000);
  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  /** The customer's cart (POST /carts: theirs if open, else a new one) with one line, ready to pay. */
  async function readyCart(sku: string): Promise<{ id: string; created: number }> {
    const created = await as('POST', '/api/cart/carts', { currency: 'USD' });
    expect([200, 201]).toContain(created.status);
    const id: string = created.body.cart.id;
    const added = await as('POST', `/api/cart/carts/${id}/lines`, { sku, quantity: 1 });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const ship = await as('PUT', `/api/cart/carts/${id}/shipping`, { option: 'standard', region: 'US-CA' });
    expect(ship.status, JSON.stringify(ship.body)).toBe(200);
    return { id, created: created.status };
  }

  async function card(number: string): Promise<string> {
    const pm = await call('POST', '/api/payments/sandbox/payment-methods', {
      number,
      expMonth: 12,
      expYear: new Date().getUTCFullYear() + 3,
      cvc: '123',
    });
    expect(pm.status, JSON.stringify(pm.body)).toBeLessThan(300);
    return pm.body.id;
  }

  const checkout = async (cartId: string, paymentMethod: string) =>
    as(
      'POST',
      '/api/orders/checkout',
      {
        cartId,
        address: {
          name: 'Ada Twice',
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
      { 'idempotency-key': randomUUID() },
    );

  const settled = (orderId: string) =>
    until(
      `order ${orderId} to settle`,
      async () => {
        const r = await as('GET', `/api/orders/orders/${orderId}`);
        return ['confirmed', 'shipped', 'delivered', 'cancelled'].includes(r.body?.status) ? r.body : undefined;
      },
      60_000,
    );

  const cartStatus = async (id: string) => (await as('GET', `/api/cart/carts/${id}`)).body;

  it('orders, gets a new cart, orders again; a declined card reopens the cart for a second card', async () => {
    // First order.
    const first = await readyCart(skus[0] as string);
    const one = await checkout(first.id, await card('4242 4242 4242 4242'));
    expect(one.status, JSON.stringify(one.body)).toBe(202);
    const firstCart = await until('the first cart to close', async () => {
      const c = await cartStatus(first.id);
      return c.status === 'ordered' ? c : undefined;
    });
    expect(firstCart.orderId).toBe(one.body.order.id);
    expect((await as('GET', '/api/cart/carts/mine')).status).toBe(404);
    // Checking out the closed cart again is refused the way orders says it.
    const twice = await checkout(first.id, await card('4242 4242 4242 4242'));
    expect([twice.status, twice.body.code]).toEqual([409, 'cart_already_ordered']);
    const added = await as('POST', `/api/cart/carts/${first.id}/lines`, { sku: skus[1], quantity: 1 });
    expect([added.status, added.body.code]).toEqual([409, 'cart_ordered']);
    expect((await settled(one.body.order.id)).status).not.toBe('cancelled');

    // Second order, from a new cart.
    const second = await readyCart(skus[1] as string);
    expect(second.created).toBe(201);
    expect(second.id).not.toBe(first.id);
    const two = await checkout(second.id, await card('4242 4242 4242 4242'));
    expect(two.status, JSON.stringify(two.body)).toBe(202);
    expect(two.body.order.id).not.toBe(one.body.order.id);
    expect((await settled(two.body.order.id)).status).not.toBe('cancelled');
    await until('the second cart to close', async () =>
      (await cartStatus(second.id)).status === 'ordered' ? true : undefined,
    );

    // A declined card: the order is cancelled and the cart opens again, lines kept.
    const third = await readyCart(skus[2] as string);
    const declined = await checkout(third.id, await card('4000 0000 0000 9995'));
    expect(declined.status, JSON.stringify(declined.body)).toBe(202);
    expect((await settled(declined.body.order.id)).status).toBe('cancelled');
    const reopened = await until('the declined order’s cart to open again', async () => {
      const mine = await as('GET', '/api/cart/carts/mine');
      return mine.status === 200 ? mine.body : undefined;
    });
    expect([reopened.id, reopened.status, reopened.orderId, reopened.lines.length]).toEqual([
      third.id,
      'open',
      null,
      1,
    ]);
    const retry = await checkout(third.id, await card('4242 4242 4242 4242'));
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    expect((await settled(retry.body.order.id)).status).not.toBe('cancelled');

    const history = await as('GET', '/api/orders/orders');
    expect(history.status).toBe(200);
    const ids = (history.body.items as { id: string }[]).map((o) => o.id);
    for (const id of [one.body.order.id, two.body.order.id, declined.body.order.id, retry.body.order.id]) {
      expect(ids).toContain(id);
    }
  }, 180_000);
});
