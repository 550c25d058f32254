import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startCart } from './test-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startCart();
  h.catalog.set('MUG', { USD: 1250, EUR: 1150 });
  h.catalog.set('TEE', { USD: 2000 });
  h.inventory.stock.set('MUG', 8);
  h.inventory.stock.set('TEE', 100);
});
afterAll(() => h.close());

describe('guest carts', () => {
  it('start with a secret token shown once, and are read back with it', async () => {
    const created = await h.call('POST', '/carts', { body: { currency: 'USD' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.cart).toMatchObject({ owner: 'guest', currency: 'USD', status: 'open', lines: [] });
    const read = await h.call('GET', `/carts/${created.body.cart.id}`, { cartToken: created.body.token });
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('private, no-store');
    expect(read.body.id).toBe(created.body.cart.id);
    // Only a hash is stored.
    const { rows } = await h.db.query('SELECT token_hash FROM carts WHERE id = $1', [created.body.cart.id]);
    expect(rows[0]?.token_hash).not.toContain(created.body.token);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('add, change and remove lines, with the totals following', async () => {
    const { id, token } = await h.guestCart();
    const added = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG', quantity: 2 } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.lines).toEqual([
      expect.objectContaining({ sku: 'MUG', quantity: 2, unitPrice: 1250, seenUnitPrice: 1250, subtotal: 2500 }),
    ]);
    const more = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG' } });
    expect(more.body.lines[0].quantity).toBe(3);
    const set = await h.call('PATCH', `/carts/${id}/lines/MUG`, { cartToken: token, body: { quantity: 1 } });
    expect(set.body.lines[0].quantity).toBe(1);
    expect(set.body.totals).toMatchObject({
      subtotal: 1250,
      merchandise: 1250,
      shipping: null,
      tax: null,
      total: null,
    });
    const removed = await h.call('DELETE', `/carts/${id}/lines/MUG`, { cartToken: token });
    expect(removed.body.lines).toEqual([]);
    // Removing what is not there is not an error.
    expect((await h.call('DELETE', `/carts/${id}/lines/MUG`, { cartToken: token })).status).toBe(200);
    const events = (await h.events()).filter((e) => e.payload.cartId === id);
    expect(events.map((e) => [e.subject, e.payload.quantity, e.payload.lineQuantity])).toEqual([
      ['cart.line-added.v1', 2, 2],
      ['cart.line-added.v1', 1, 3],
      ['cart.line-removed.v1', 2, 1],
      ['cart.line-removed.v1', 1, 0],
    ]);
  });
});

describe('clear refusals', () => {
  it('out of stock is 409 with the available quantity', async () => {
    const { id, token } = await h.guestCart();
    const r = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG', quantity: 9 } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'out_of_stock', sku: 'MUG', requested: 9, available: 8 });
    await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG', quantity: 5 } });
    const over = await h.call('PATCH', `/carts/${id}/lines/MUG`, { cartToken: token, body: { quantity: 9 } });
    expect(over.body).toMatchObject({ code: 'out_of_stock', available: 8 });
  });

  it('unknown SKU, no price in the currency, per-line and line-count limits are 422 with what was wrong', async () => {
    const { id, token } = await h.guestCart('EUR');
    const unknown = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'NOPE' } });
    expect([unknown.status, unknown.body.code, unknown.body.sku]).toEqual([422, 'unknown_sku', 'NOPE']);
    const noPrice = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'TEE' } });
    expect([noPrice.status, noPrice.body.code]).toEqual([422, 'not_sold_in_currency']);
    h.inventory.stock.set('MUG', 1000);
    const tooMany = await h.call('POST', `/carts/${id}/lines`, {
      cartToken: token,
      body: { sku: 'MUG', quantity: 11 },
    });
    expect(tooMany.body).toMatchObject({ code: 'quantity_limit', max: 10 });
    for (const sku of ['L1', 'L2', 'L3', 'L4', 'L5', 'L6']) {
      h.catalog.set(sku, { EUR: 100 });
      h.inventory.stock.set(sku, 5);
    }
    for (const sku of ['L1', 'L2', 'L3', 'L4', 'L5']) {
      expect((await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku } })).status).toBe(200);
    }
    const sixth = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'L6' } });
    expect(sixth.body).toMatchObject({ code: 'too_many_lines', max: 5 });
    h.inventory.stock.set('MUG', 8);
  });

  it('a missing line to change is 404, a malformed id or body is 422', async () => {
    const { id, token } = await h.guestCart();
    expect((await h.call('PATCH', `/carts/${id}/lines/ZZZ`, { cartToken: token, body: { quantity: 1 } })).status).toBe(
      404,
    );
    expect((await h.call('GET', '/carts/not-a-uuid', { cartToken: token })).status).toBe(422);
    const bad = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG', quantity: 0 } });
    expect(bad.status).toBe(422);
  });

  it('inventory being down does not stop shopping (checkout reserves the stock)', async () => {
    const { id, token } = await h.guestCart();
    h.inventory.setDown(true);
    const r = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG', quantity: 9 } });
    h.inventory.setDown(false);
    expect(r.status).toBe(200);
  });

  it('the catalog being down is 503 on add and a stale (not failed) read', async () => {
    const { id, token } = await h.guestCart();
    await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG' } });
    h.catalog.setDown(true);
    const add = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'TEE' } });
    const read = await h.call('GET', `/carts/${id}`, { cartToken: token });
    h.catalog.setDown(false);
    expect(add.status).toBe(503);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ pricing: 'stale', lines: [{ sku: 'MUG', unitPrice: 1250 }] });
  });
});

describe('nobody sees or changes another cart (404, never 403)', () => {
  it('guests need the right token; customers only reach their own', async () => {
    const a = await h.guestCart();
    const b = await h.guestCart();
    await h.call('POST', `/carts/${a.id}/lines`, { cartToken: a.token, body: { sku: 'MUG' } });
    const alice = await h.customer();
    const bob = await h.customer();
    const alicesCart = (await h.call('POST', '/carts', { token: alice, body: { currency: 'USD' } })).body.cart.id;

    const attempts: [string, string, { token?: string; cartToken?: string; body?: unknown }][] = [
      ['GET', `/carts/${a.id}`, {}],
      ['GET', `/carts/${a.id}`, { cartToken: b.token }],
      ['GET', `/carts/${a.id}`, { cartToken: `${a.token.slice(0, -1)}x` }],
      ['GET', `/carts/${a.id}`, { token: bob }],
      ['POST', `/carts/${a.id}/lines`, { cartToken: b.token, body: { sku: 'MUG' } }],
      ['DELETE', `/carts/${a.id}/lines/MUG`, { token: bob }],
      ['GET', `/carts/${alicesCart}`, { token: bob }],
      ['GET', `/carts/${alicesCart}`, {}],
      ['GET', `/carts/${alicesCart}`, { cartToken: a.token }],
      ['POST', `/carts/${alicesCart}/lines`, { token: bob, body: { sku: 'MUG' } }],
      ['PUT', `/carts/${alicesCart}/code`, { token: bob, body: { code: 'X' } }],
      ['PUT', `/carts/${alicesCart}/shipping`, { token: bob, body: { option: 'standard' } }],
      ['POST', `/carts/${alicesCart}/checkout-quote`, { token: bob }],
      ['POST', `/carts/${alicesCart}/acknowledge-prices`, { token: bob }],
    ];
    for (const [method, path, o] of attempts) {
      const r = await h.call(method, path, o);
      expect(r.status, `${method} ${path} ${JSON.stringify(o)}`).toBe(404);
      expect(r.body.detail).toBe('no such cart');
    }
    const line = (await h.call('GET', `/carts/${a.id}`, { cartToken: a.token })).body.lines;
    expect(line).toEqual([expect.objectContaining({ sku: 'MUG', quantity: 1 })]);
    expect((await h.call('GET', `/carts/${alicesCart}`, { token: alice })).status).toBe(200);
  });

  it('a customer has one open cart, also across devices', async () => {
    const carol = await h.customer();
    const first = await h.call('POST', '/carts', { token: carol, body: { currency: 'EUR' } });
    const again = await h.call('POST', '/carts', { token: carol, body: { currency: 'USD' } });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.cart.id).toBe(first.body.cart.id);
    // Still empty, so it takes the newly asked currency; no token for customer carts.
    expect(again.body.cart.currency).toBe('USD');
    expect(again.body.token).toBeNull();
    expect((await h.call('GET', '/carts/mine', { token: carol })).body.id).toBe(first.body.cart.id);
    expect((await h.call('GET', '/carts/mine')).status).toBe(401);
  });
});

describe('Redis is only a read cache', () => {
  it('holds the newest version after each write, and losing it loses nothing', async () => {
    const { id, token } = await h.guestCart();
    await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'MUG', quantity: 2 } });
    const cached = await h.redis.get(`cart:c:${id}`);
    expect(cached).toMatch(/^2\|/);
    expect(JSON.parse(cached?.slice(2) ?? '{}').lines).toEqual([expect.objectContaining({ sku: 'MUG', quantity: 2 })]);
    await h.redis.del(`cart:c:${id}`);
    const read = await h.call('GET', `/carts/${id}`, { cartToken: token });
    expect(read.body.lines).toEqual([expect.objectContaining({ sku: 'MUG', quantity: 2 })]);
    expect(await h.redis.get(`cart:c:${id}`)).toMatch(/^2\|/);
  });
});
