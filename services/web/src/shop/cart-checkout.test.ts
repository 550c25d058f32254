import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api.ts';
import type { WebEnv } from '../env.ts';
import { mergeGuestCart } from './cart-session.ts';
import { CSRF, checkoutFields, ORDER_ID, SLUG, shopApp } from './test-kit.ts';

type Browser = ReturnType<Awaited<ReturnType<typeof shopApp>>['browser']>;

async function withItem(b: Browser, quantity = '1') {
  const res = await b.post('/cart/add', { sku: 'AUR-1-BLK', quantity, slug: SLUG });
  expect(res.status).toBe(303);
  return res;
}

async function checkoutKey(b: Browser): Promise<string> {
  const html = await (await b.get('/checkout')).text();
  const key = html.match(/name="idempotencyKey" value="([^"]+)"/)?.[1];
  expect(key).toBeTruthy();
  return key as string;
}

describe('cart', () => {
  it('add to cart starts a guest cart in web’s HttpOnly cookie and counts the items', async () => {
    const t = await shopApp();
    const b = t.browser();
    const res = await withItem(b, '2');
    expect(res.headers.get('location')).toBe('/cart?done=added');
    const setCookies = res.headers.getSetCookie().join('\n');
    expect(setCookies).toMatch(/sf_cart=0199a83f-[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/);
    expect(b.jar.get('sf_cart_n')).toBe('2');
    const line = t.callsTo('POST', `/api/cart/carts/${[...t.state.carts.keys()][0]}/lines`)[0];
    expect(line?.headers.get('x-cart-token')).toMatch(/^tok_/);
    const html = await (await b.get('/cart?done=added')).text();
    expect(html).toContain('Added to your cart.');
    expect(html).toContain('Aurion Pro Headphones (Black)');
    expect(html).toMatch(/id="qty-AUR-1-BLK"[^>]*value="2"/);
    expect(html).toContain('href="/checkout"');
  });

  it('asking for more than is in stock says how many are left, on the product page', async () => {
    const t = await shopApp();
    const res = await t.browser().post('/cart/add', { sku: 'AUR-1-BLK', quantity: '13', slug: SLUG });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('Only 12 left of this item');
    expect(html).toContain('<h1>Aurion Pro Headphones</h1>');
  });

  it('quantity update, too many, remove; the empty cart helps', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const up = await b.post('/cart/lines/AUR-1-BLK', { quantity: '3' });
    expect(up.headers.get('location')).toBe('/cart?done=updated');
    expect(b.jar.get('sf_cart_n')).toBe('3');
    const tooMany = await b.post('/cart/lines/AUR-1-BLK', { quantity: '50' });
    expect(tooMany.status).toBe(409);
    expect(await tooMany.text()).toContain('Only 12 left of Aurion Pro Headphones (Black)');
    const bad = await b.post('/cart/lines/AUR-1-BLK', { quantity: 'lots' });
    expect(bad.status).toBe(422);
    const gone = await b.post('/cart/lines/AUR-1-BLK/remove', {});
    expect(gone.headers.get('location')).toBe('/cart?done=removed');
    const html = await (await b.get('/cart')).text();
    expect(html).toContain('Your cart is empty.');
    expect(b.jar.get('sf_cart_n')).toBe('0');
  });

  it('promotion codes: a bad one is explained next to the field, a good one applies and can be removed', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const bad = await b.post('/cart/code', { code: 'NOPE' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toMatch(/id="f-code-err">That code cannot be used: this code is not valid\./);
    expect(html).toMatch(/id="f-code"[^>]*value="NOPE"/);
    const malformed = await b.post('/cart/code', { code: 'no spaces!' });
    expect(malformed.status).toBe(422);
    expect(await malformed.text()).toContain('Promotion codes have only letters');
    const ok = await b.post('/cart/code', { code: 'save10' });
    expect(ok.headers.get('location')).toBe('/cart?done=code-applied');
    const page = await (await b.get('/cart')).text();
    expect(page).toContain('SAVE10</span> is applied');
    expect(page).toContain('Discount (10% off)');
    const removed = await b.post('/cart/code/remove', {});
    expect(removed.headers.get('location')).toBe('/cart?done=code-removed');
  });

  it('delivery option and region give shipping, tax and the total from the API', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const res = await b.post('/cart/shipping', { option: 'express', region: 'US-CA' });
    expect(res.headers.get('location')).toBe('/cart?done=shipping');
    const html = await (await b.get('/cart')).text();
    expect(html).toMatch(/<dt>Shipping<\/dt><dd><span class="money">\$19\.99<\/span>/);
    expect(html).toMatch(/<dt>Tax<\/dt><dd><span class="money">\$14\.50<\/span>/);
    expect(html).toMatch(/<dt class="total">Total<\/dt><dd class="total"><span class="money">\$234\.48<\/span>/);
    const wrong = await b.post('/cart/shipping', { option: 'express', region: 'ZZ' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('we do not deliver to that region');
  });

  it('a price change is shown and can be accepted', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    t.state.price = 17999;
    const html = await (await b.get('/cart')).text();
    expect(html).toContain('Prices changed.');
    expect(html).toMatch(/was <s><span class="money">\$199\.99/);
    expect(html).not.toContain('href="/checkout"');
    expect((await b.get('/checkout')).headers.get('location')).toBe('/cart');
    const ack = await b.post('/cart/acknowledge', {});
    expect(ack.headers.get('location')).toBe('/cart?done=acknowledged');
    expect(await (await b.get('/cart')).text()).toContain('href="/checkout"');
  });

  it('every form needs the CSRF field: without it nothing is called and the page says try again', async () => {
    const t = await shopApp();
    const b = t.browser();
    const before = t.calls.length;
    const res = await b.post('/cart/add', { sku: 'AUR-1-BLK', quantity: '1' }, { csrf: null });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Please try that again');
    const wrong = await b.post('/checkout', checkoutFields('k-12345678'), { csrf: 'x'.repeat(40) });
    expect(wrong.status).toBe(403);
    expect(t.calls.slice(before).filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('a signed-in shopper with a guest cart has it merged into theirs, and the guest cookie goes', async () => {
    const t = await shopApp();
    const guest = t.browser();
    await withItem(guest);
    const cartCookie = guest.jar.get('sf_cart') as string;
    const b = t.browser({ customer: 'cust-9' });
    b.jar.set('sf_cart', cartCookie);
    await b.post('/cart/add', { sku: 'AUR-1-BLK', quantity: '1' });
    const html = await (await b.get('/cart')).text();
    expect(t.callsTo('POST', '/api/cart/carts/merge')[0]?.body).toEqual({
      cartId: cartCookie.split('.')[0],
      token: cartCookie.slice(cartCookie.indexOf('.') + 1),
    });
    expect(b.jar.has('sf_cart')).toBe(false);
    expect(html).toMatch(/id="qty-AUR-1-BLK"[^>]*value="2"/);
  });

  it('mergeGuestCart(c, session) uses the session from the login answer', async () => {
    const t = await shopApp();
    const guest = t.browser();
    await withItem(guest);
    const cartCookie = guest.jar.get('sf_cart') as string;
    const token = await t.auth.customerToken('cust-7');
    // A tiny app standing in for the account pages' sign-in handler.
    const app = new Hono<WebEnv>();
    app.use('*', async (c, next) => {
      c.set('api', new ApiClient({ baseUrl: 'http://gateway.test', timeoutMs: 1000, fetch: captured }));
      c.set('config', { COOKIE_SECURE: false } as never);
      c.set('viewer', undefined);
      await next();
    });
    const seen: { cookie: string | null; csrf: string | null; body: unknown }[] = [];
    async function captured(_input: string | URL | Request, init?: RequestInit): Promise<Response> {
      const headers = new Headers(init?.headers);
      seen.push({
        cookie: headers.get('cookie'),
        csrf: headers.get('x-csrf-token'),
        body: JSON.parse(String(init?.body)),
      });
      return new Response(
        JSON.stringify({ cart: { id: 'c', lines: [{ quantity: 1 }, { quantity: 2 }] }, capped: ['A'], dropped: [] }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }
    app.post('/signed-in', async (c) => c.json(await mergeGuestCart(c, { accessToken: token, csrfToken: 'csrf-1' })));
    const res = await app.request('/signed-in', { method: 'POST', headers: { cookie: `sf_cart=${cartCookie}` } });
    expect(await res.json()).toEqual({ merged: true, capped: ['A'], dropped: [] });
    expect(seen[0]?.cookie).toBe(`sf_at=${token}; sf_csrf=csrf-1`);
    expect(seen[0]?.csrf).toBe('csrf-1');
    expect(res.headers.getSetCookie().join('\n')).toMatch(/sf_cart=; Max-Age=0/);
    expect(res.headers.getSetCookie().join('\n')).toMatch(/sf_cart_n=3/);
    // No guest cart: nothing to do, nothing called.
    const none = await app.request('/signed-in', { method: 'POST' });
    expect(await none.json()).toEqual({ merged: false, capped: [], dropped: [] });
    expect(seen).toHaveLength(1);
  });
});

describe('checkout', () => {
  it('an empty cart goes back to the cart page', async () => {
    const t = await shopApp();
    const res = await t.browser().get('/checkout');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/cart');
  });

  it('missing and wrong fields come back inline; the card number is never echoed', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const key = await checkoutKey(b);
    const res = await b.post(
      '/checkout',
      checkoutFields(key, { email: 'nope', name: '', cardNumber: '4242 4242 4242 4241', cardExpiry: '01/20' }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Please correct the 4 fields marked below.');
    expect(html).toMatch(/id="f-email-err">Please enter a valid email address/);
    expect(html).toMatch(/id="f-name-err">Please enter the name of the recipient/);
    expect(html).toMatch(/id="f-cardNumber-err">That card number is not valid/);
    expect(html).toMatch(/id="f-cardExpiry-err">This card has expired/);
    expect(html).not.toContain('4242 4242 4242 4241');
    expect(html).toContain(`value="${key}"`);
    expect(html).toMatch(/id="f-line1"[^>]*value="1 Market St"/);
    expect(t.callsTo('POST', '/api/orders/checkout')).toHaveLength(0);
  });

  it('pays with the sandbox card: tokenized, placed with the Idempotency-Key, then the order page', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const key = await checkoutKey(b);
    const res = await b.post('/checkout', checkoutFields(key), {
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.test' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/orders/${ORDER_ID}`);
    const pm = t.callsTo('POST', '/api/payments/sandbox/payment-methods')[0];
    expect(pm?.body).toEqual({ number: '4242424242424242', expMonth: 12, expYear: 2039, cvc: '123' });
    const placed = t.callsTo('POST', '/api/orders/checkout')[0];
    expect(placed?.headers.get('idempotency-key')).toBe(key);
    expect(placed?.headers.get('x-cart-token')).toMatch(/^tok_/);
    expect(placed?.body).toMatchObject({
      email: 'ada@example.test',
      shippingMethod: 'standard',
      paymentMethod: 'pm_sandbox_4242424242424242_0',
      returnUrl: 'http://shop.test/checkout/return',
      address: {
        name: 'Ada Guest',
        line1: '1 Market St',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
    });
    // Delivery and tax region went onto the cart first.
    expect(t.calls.find((c) => c.path.endsWith('/shipping'))?.body).toEqual({ option: 'standard', region: 'US-CA' });
    // Paid: the header badge empties; the cart service closed the cart (ordered), web deleted nothing.
    expect(b.jar.get('sf_cart_n')).toBe('0');
    expect(t.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
    expect(t.state.carts.get(placed?.body.cartId)).toMatchObject({ status: 'ordered', orderId: ORDER_ID });
    const page = await b.get(`/orders/${ORDER_ID}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Thank you! Your order is confirmed');
    expect(html).toContain('Aurion Pro &lt;Headphones&gt;');
    expect(html).toContain('What happens next');
    expect(html).toContain('San Francisco, CA 94105');
    expect(t.callsTo('GET', `/api/orders/orders/${ORDER_ID}`).at(-1)?.headers.get('x-order-token')).toMatch(
      /^ordertoken_/,
    );
    // The guest cookie pointed at a checked-out cart: dropped, and the next add starts a new cart.
    expect(b.jar.has('sf_cart')).toBe(false);
    expect(await (await b.get('/cart')).text()).toContain('Your cart is empty.');
    await withItem(b);
    const fresh = (b.jar.get('sf_cart') as string).split('.')[0];
    expect(fresh).not.toBe(placed?.body.cartId);
    expect(t.state.carts.get(fresh as string)).toMatchObject({ status: 'open', lines: [{ sku: 'AUR-1-BLK' }] });
  });

  it('a guest cookie pointing at a checked-out cart is dropped on any cart page; a new cart starts', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b, '2');
    const first = (b.jar.get('sf_cart') as string).split('.')[0] as string;
    // Checked out from another tab: the order page was never opened here.
    await b.post('/checkout', checkoutFields(await checkoutKey(b)));
    b.jar.set('sf_cart_n', '2');
    expect(b.jar.has('sf_cart')).toBe(true);
    const cart = await (await b.get('/cart')).text();
    expect(cart).toContain('Your cart is empty.');
    expect(b.jar.has('sf_cart')).toBe(false);
    expect(b.jar.get('sf_cart_n')).toBe('0');
    await withItem(b);
    expect((b.jar.get('sf_cart') as string).split('.')[0]).not.toBe(first);
    expect(t.state.carts.get(first)?.lines).toHaveLength(1);
  });

  it('a change to a cart an order closed meanwhile says so kindly and shows the (new, empty) cart', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b, '2');
    const other = t.browser();
    other.jar.set('sf_cart', b.jar.get('sf_cart') as string);
    await other.post('/checkout', checkoutFields(await checkoutKey(other)));
    const res = await b.post('/cart/lines/AUR-1-BLK', { quantity: '3' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('An order has already been placed from this cart');
    expect(html).toContain('Your cart is empty.');
    expect(b.jar.has('sf_cart')).toBe(false);
    // No waiting for a reopen that will not come: one try, one look at the cart and its order.
    expect(t.callsTo('PATCH', `/api/cart/carts/${t.state.orders[0]?.cartId}/lines/AUR-1-BLK`)).toHaveLength(1);
  });

  it('a signed-in customer places two orders in a row, each from its own cart', async () => {
    const t = await shopApp();
    const b = t.browser({ customer: 'cust-2x' });
    await withItem(b);
    const one = await b.post('/checkout', checkoutFields(await checkoutKey(b)));
    expect(one.status).toBe(303);
    expect(await (await b.get('/cart')).text()).toContain('Your cart is empty.');
    await withItem(b, '3');
    const html = await (await b.get('/cart')).text();
    expect(html).toMatch(/id="qty-AUR-1-BLK"[^>]*value="3"/);
    const two = await b.post('/checkout', checkoutFields(await checkoutKey(b)));
    expect(two.status).toBe(303);
    expect(two.headers.get('location')).not.toBe(one.headers.get('location'));
    const [a, c] = t.state.orders;
    expect([a?.status, c?.status]).toEqual(['confirmed', 'confirmed']);
    expect(a?.cartId).not.toBe(c?.cartId);
    expect(t.calls.filter((x) => x.method === 'DELETE')).toEqual([]);
  });

  it('a double submit of the same form places one order (one token, same key, same body)', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const key = await checkoutKey(b);
    const [a, c] = await Promise.all([
      b.post('/checkout', checkoutFields(key)),
      b.post('/checkout', checkoutFields(key)),
    ]);
    expect(a.status).toBe(303);
    expect(c.status).toBe(303);
    expect(a.headers.get('location')).toBe(c.headers.get('location'));
    expect(t.state.orders).toHaveLength(1);
    expect(t.callsTo('POST', '/api/payments/sandbox/payment-methods')).toHaveLength(1);
  });

  it('a declined card shows why, keeps the cart and the address, and starts a new attempt', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b, '2');
    const key = await checkoutKey(b);
    const res = await b.post('/checkout', checkoutFields(key, { cardNumber: '4000000000009995' }));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Payment declined.');
    expect(html).toContain('Your card was declined for insufficient funds. Nothing was charged and your cart is saved');
    expect(html).toMatch(/id="f-name"[^>]*value="Ada Guest"/);
    const newKey = html.match(/name="idempotencyKey" value="([^"]+)"/)?.[1];
    expect(newKey).toBeTruthy();
    expect(newKey).not.toBe(key);
    expect(b.jar.has('sf_cart')).toBe(true);
    const cart = await (await b.get('/cart')).text();
    expect(cart).toMatch(/id="qty-AUR-1-BLK"[^>]*value="2"/);
    // Another card, the same cart: an order.
    const again = await b.post('/checkout', checkoutFields(newKey as string));
    expect(again.status).toBe(303);
    expect(t.state.orders.map((o) => o.status)).toEqual(['cancelled', 'confirmed']);
    expect(new Set(t.state.orders.map((o) => o.cartId)).size).toBe(1);
  });

  for (const who of ['guest', 'customer'] as const) {
    it(`a ${who} retrying at once after a decline waits for the cart to reopen, then the order goes through`, async () => {
      const t = await shopApp();
      t.state.reopenDelayMs = Number.POSITIVE_INFINITY;
      const b = t.browser(who === 'customer' ? { customer: 'cust-retry' } : {});
      await withItem(b, '2');
      const declined = await b.post(
        '/checkout',
        checkoutFields(await checkoutKey(b), { cardNumber: '4000000000009995' }),
      );
      const newKey = (await declined.text()).match(/name="idempotencyKey" value="([^"]+)"/)?.[1] as string;
      // Still closed by the declined order: the cart pages keep showing it meanwhile (a
      // customer's through the placed-order cookie, as /carts/mine does not answer it).
      const cartId = t.state.orders[0]?.cartId as string;
      const cart = await (await b.get('/cart')).text();
      expect(cart).toMatch(/id="qty-AUR-1-BLK"[^>]*value="2"/);
      expect(t.state.carts.get(cartId)?.status).toBe('ordered');
      // The cancellation reaches the cart service a moment after the shopper submits again.
      const closed = t.state.carts.get(cartId);
      if (closed) closed.reopenAt = Date.now() + 300;
      const again = await b.post('/checkout', checkoutFields(newKey));
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toMatch(/^\/orders\//);
      expect(t.state.orders.map((o) => o.status)).toEqual(['cancelled', 'confirmed']);
      const tries = t
        .callsTo('POST', '/api/orders/checkout')
        .filter((c) => c.headers.get('idempotency-key') === newKey);
      expect(tries.length).toBeGreaterThan(1);
      expect(new Set(t.state.orders.map((o) => o.cartId)).size).toBe(1);
    });
  }

  it('a cart that does not reopen in time: a kind message, the form kept for another try', async () => {
    const t = await shopApp();
    t.state.reopenDelayMs = Number.POSITIVE_INFINITY;
    const b = t.browser();
    await withItem(b);
    const declined = await b.post(
      '/checkout',
      checkoutFields(await checkoutKey(b), { cardNumber: '4000000000009995' }),
    );
    const newKey = (await declined.text()).match(/name="idempotencyKey" value="([^"]+)"/)?.[1] as string;
    const again = await b.post('/checkout', checkoutFields(newKey));
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain('We are still putting your cart back after the cancelled order');
    expect(html).toContain(`value="${newKey}"`);
    expect(html).toMatch(/id="f-name"[^>]*value="Ada Guest"/);
    expect(b.jar.has('sf_cart')).toBe(true);
    // Bounded: a handful of tries, then the message.
    const tries = t.callsTo('POST', '/api/orders/checkout').filter((c) => c.headers.get('idempotency-key') === newKey);
    expect(tries.length).toBeGreaterThan(1);
    expect(tries.length).toBeLessThan(10);
    // Once the cart service catches up, the same form goes through.
    const cartId = t.state.orders[0]?.cartId as string;
    const cart = t.state.carts.get(cartId);
    if (cart) cart.reopenAt = 0;
    const later = await b.post('/checkout', checkoutFields(newKey));
    expect(later.status).toBe(303);
  });

  it('3-D Secure: the shopper is sent to the challenge; the return URL leads to the order page', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const key = await checkoutKey(b);
    const fwd = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.test' };
    const res = await b.post('/checkout', checkoutFields(key, { cardNumber: '4000 0025 0000 3155' }), { headers: fwd });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^http:\/\/shop\.test\/api\/payments\/sandbox\/3ds\//);
    const back = await b.get(
      '/checkout/return?paymentId=0199a83f-8840-7236-b5b8-ba24de364399&redirect_status=succeeded',
    );
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`/orders/${ORDER_ID}`);
    const html = await (await b.get(`/orders/${ORDER_ID}`, fwd)).text();
    expect(html).toContain('Please confirm your payment');
    expect(html).toContain(`data-order-poll="/orders/${ORDER_ID}/status"`);
    expect(html).toContain('Confirm the payment with your bank');
    // The page follows the status through web's small JSON endpoint.
    const status = await b.get(`/orders/${ORDER_ID}/status`);
    expect(await status.json()).toEqual({ status: 'payment_action_required' });
  });

  it('a challenge URL on another site is not followed: the order page shows the state instead', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const key = await checkoutKey(b);
    const res = await b.post('/checkout', checkoutFields(key, { cardNumber: '4000002500003155' }), {
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'elsewhere.test' },
    });
    expect(res.headers.get('location')).toBe(`/orders/${ORDER_ID}`);
  });

  it('orders API refusals are explained (prices changed) and the attempt can be retried', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    const key = await checkoutKey(b);
    t.state.fail.set(
      '/api/orders/checkout',
      () =>
        new Response(JSON.stringify({ status: 409, code: 'prices_changed', detail: 'review' }), {
          status: 409,
          headers: { 'content-type': 'application/problem+json' },
        }),
    );
    const res = await b.post('/checkout', checkoutFields(key));
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('Some prices changed since you added the items');
    expect(html).toContain(`value="${key}"`);
  });

  it('someone else’s order, or one without its token, is a not-found page', async () => {
    const t = await shopApp();
    const b = t.browser();
    await withItem(b);
    await b.post('/checkout', checkoutFields(await checkoutKey(b)));
    const stranger = await t.browser().get(`/orders/${ORDER_ID}`);
    expect(stranger.status).toBe(404);
    expect(await stranger.text()).toContain('We can&#39;t find that order');
    expect((await t.browser().get('/orders/not-a-uuid')).status).toBe(404);
    expect((await t.browser().get(`/orders/${ORDER_ID}/status`)).status).toBe(404);
  });

  it('CSRF cookie value from the kit is what forms carry', () => {
    expect(CSRF).toMatch(/^[\w-]{32,64}$/);
  });
});
