import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startCart } from './test-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startCart();
  for (const [sku, usd, eur] of [
    ['A', 1000, 900],
    ['B', 2000, 1800],
    ['C', 300, 280],
    ['D', 400, 380],
    ['E', 500, 450],
    ['F', 600, null],
  ] as const) {
    h.catalog.set(sku, eur === null ? { USD: usd } : { USD: usd, EUR: eur });
    h.inventory.stock.set(sku, 1000);
  }
});
afterAll(() => h.close());

const add = (cart: { id: string; token?: string }, sku: string, quantity: number, token?: string) =>
  h.call('POST', `/carts/${cart.id}/lines`, {
    ...(cart.token ? { cartToken: cart.token } : {}),
    ...(token ? { token } : {}),
    body: { sku, quantity },
  });
const merge = (token: string, guest: { id: string; token: string }) =>
  h.call('POST', '/carts/merge', { token, body: { cartId: guest.id, token: guest.token } });

describe('guest → customer merge on sign-in', () => {
  it('adds quantities up, caps them at the line limit, and closes the guest cart', async () => {
    const me = await h.customer();
    const mine = (await h.call('POST', '/carts', { token: me, body: {} })).body.cart;
    await add(mine, 'A', 8, me);
    await add(mine, 'B', 1, me);
    const guest = await h.guestCart();
    await add(guest, 'A', 5, undefined);
    await add(guest, 'C', 2, undefined);
    await h.call('PUT', `/carts/${guest.id}/shipping`, {
      cartToken: guest.token,
      body: { option: 'express', region: 'US-NY' },
    });

    const r = await merge(me, guest);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.cart.id).toBe(mine.id);
    expect(r.body.cart.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([
      ['A', 10],
      ['B', 1],
      ['C', 2],
    ]);
    expect(r.body.capped).toEqual(['A']);
    expect(r.body.cart).toMatchObject({ shippingOption: 'express', taxRegion: 'US-NY' });

    const closed = await h.call('GET', `/carts/${guest.id}`, { cartToken: guest.token });
    expect(closed.body).toMatchObject({ status: 'merged', mergedInto: mine.id });
    const changed = await add(guest, 'D', 1, undefined);
    expect([changed.status, changed.body.code]).toEqual([409, 'cart_closed']);
    const events = await h.events('cart.merged.v1');
    expect(events.map((e) => e.payload)).toContainEqual({
      cartId: mine.id,
      customerId: expect.any(String),
      guestCartId: guest.id,
    });

    // Repeating the merge (a retried sign-in) changes nothing.
    const again = await merge(me, guest);
    expect(again.status).toBe(200);
    expect(again.body.cart.lines.map((l: { quantity: number }) => l.quantity)).toEqual([10, 1, 2]);
  });

  it('creates the customer cart when there is none, in the guest currency', async () => {
    const me = await h.customer();
    const guest = await h.guestCart('EUR');
    await add(guest, 'A', 2, undefined);
    const r = await merge(me, guest);
    expect(r.body.cart).toMatchObject({
      owner: 'customer',
      currency: 'EUR',
      lines: [expect.objectContaining({ sku: 'A', unitPrice: 900 })],
    });
    expect((await h.call('GET', '/carts/mine', { token: me })).body.id).toBe(r.body.cart.id);
  });

  it("re-prices guest lines in the customer cart's currency and leaves out what is not sold in it", async () => {
    const me = await h.customer();
    const mine = (await h.call('POST', '/carts', { token: me, body: { currency: 'EUR' } })).body.cart;
    for (const sku of ['A', 'B', 'C', 'D']) await add(mine, sku, 1, me);
    const guest = await h.guestCart('USD');
    await add(guest, 'F', 1, undefined); // no EUR price
    await add(guest, 'E', 1, undefined);
    await add(guest, 'A', 1, undefined);
    await add(guest, 'B', 1, undefined); // already there: merges even though the cart will be full
    const r = await merge(me, guest);
    expect(r.body.cart.currency).toBe('EUR');
    expect(
      r.body.cart.lines.map((l: { sku: string; quantity: number; unitPrice: number }) => [
        l.sku,
        l.quantity,
        l.unitPrice,
      ]),
    ).toEqual([
      ['A', 2, 900],
      ['B', 2, 1800],
      ['C', 1, 280],
      ['D', 1, 380],
      ['E', 1, 450],
    ]);
    expect(r.body.dropped).toEqual(['F']);
  });

  it("nobody merges a cart they do not hold, or someone else's merged cart", async () => {
    const me = await h.customer();
    const other = await h.customer();
    const guest = await h.guestCart();
    await add(guest, 'A', 1, undefined);
    expect((await h.call('POST', '/carts/merge', { body: { cartId: guest.id, token: guest.token } })).status).toBe(401);
    expect((await merge(me, { id: guest.id, token: 'x'.repeat(43) })).status).toBe(404);
    const custCart = (await h.call('POST', '/carts', { token: other, body: {} })).body.cart.id;
    expect((await merge(me, { id: custCart, token: guest.token })).status).toBe(404);
    expect((await merge(other, guest)).status).toBe(200);
    // The guest token still reads the closed cart, but merging it again is only for its new owner.
    expect((await merge(me, guest)).status).toBe(404);
    expect((await h.call('GET', '/carts/mine', { token: me })).status).toBe(404);
  });

  it('two devices merging the same guest cart at once merge it once', async () => {
    const me = await h.customer();
    const guest = await h.guestCart();
    await add(guest, 'C', 3, undefined);
    const results = await Promise.all([merge(me, guest), merge(me, guest), merge(me, guest)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const cart = await h.call('GET', '/carts/mine', { token: me });
    expect(cart.body.lines).toEqual([expect.objectContaining({ sku: 'C', quantity: 3 })]);
  });
});
