import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SERVICE_TOKEN, startCart } from './test-harness.ts';

let h: Harness;
let staff: string;
beforeAll(async () => {
  h = await startCart();
  staff = await h.staff(['merchandiser']);
  h.catalog.set('SHOE', { USD: 3000 }, { categoryIds: ['0199a83f-8840-7236-b5b8-000000000001'] });
  h.catalog.set('SOCK', { USD: 500 });
  h.inventory.stock.set('SHOE', 100);
  h.inventory.stock.set('SOCK', 100);
});
afterAll(() => h.close());

const create = async (body: Record<string, unknown>) => {
  const r = await h.call('POST', '/admin/promotions', { token: staff, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
const redeem = (ref: string, orderId: string, customerId?: string) =>
  h.call('POST', `/promotions/${ref}/redeem`, {
    headers: { 'x-service-token': SERVICE_TOKEN },
    body: { orderId, ...(customerId ? { customerId } : {}) },
  });

describe('staff manage promotions', () => {
  it('only merchandisers and admins signed in with MFA', async () => {
    const body = { code: 'NOPE1', name: 'x', effect: { kind: 'free_shipping' } };
    expect((await h.call('POST', '/admin/promotions', { body })).status).toBe(401);
    expect((await h.call('POST', '/admin/promotions', { token: await h.customer(), body })).status).toBe(403);
    expect((await h.call('POST', '/admin/promotions', { token: await h.staff(['support']), body })).status).toBe(403);
    const noMfa = await h.call('POST', '/admin/promotions', { token: await h.staff(['admin'], false), body });
    expect([noMfa.status, noMfa.body.code]).toEqual([403, 'mfa_required']);
    expect((await h.call('GET', '/admin/promotions', { token: await h.customer() })).status).toBe(403);
  });

  it('create, read, list, change; codes are case-insensitive and unique; changes are audited', async () => {
    const p = await create({ code: 'spring10', name: 'Spring', effect: { kind: 'percentage', percentBp: 1000 } });
    expect(p).toMatchObject({ code: 'SPRING10', usedCount: 0, active: true });
    const dup = await h.call('POST', '/admin/promotions', {
      token: staff,
      body: { code: 'Spring10', name: 'x', effect: { kind: 'free_shipping' } },
    });
    expect(dup.status).toBe(409);
    const patched = await h.call('PATCH', `/admin/promotions/${p.id}`, { token: staff, body: { active: false } });
    expect(patched.body).toMatchObject({ active: false, code: 'SPRING10' });
    expect((await h.call('GET', `/admin/promotions/${p.id}`, { token: staff })).body.active).toBe(false);
    const list = await h.call('GET', '/admin/promotions?limit=1', { token: staff });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await h.call('GET', `/admin/promotions?limit=1&cursor=${list.body.nextCursor}`, { token: staff });
    expect(next.status).toBe(200);
    expect((await h.call('GET', '/admin/promotions?cursor=garbage', { token: staff })).status).toBe(422);
    const audit = (await h.events('audit.recorded.v1')).filter((e) => (e.payload.target as { id: string }).id === p.id);
    expect(audit.map((e) => e.payload.action)).toEqual(['promotion.created', 'promotion.updated']);
  });

  it('refuses inconsistent promotions with 422', async () => {
    const r = await h.call('POST', '/admin/promotions', {
      token: staff,
      body: { name: 'x', effect: { kind: 'fixed', amount: 500 } },
    });
    expect([r.status, r.body.detail]).toEqual([422, 'a fixed-amount promotion needs a currency']);
    const pct = await h.call('POST', '/admin/promotions', {
      token: staff,
      body: { name: 'x', effect: { kind: 'percentage', percentBp: 20_000 } },
    });
    expect(pct.status).toBe(422);
  });
});

describe('codes on carts', () => {
  it('apply, or say why not', async () => {
    await create({
      code: 'BIG50',
      name: 'Big',
      effect: { kind: 'fixed', amount: 1000 },
      currency: 'USD',
      minSubtotal: 5000,
    });
    await create({
      code: 'OLD',
      name: 'Old',
      effect: { kind: 'percentage', percentBp: 500 },
      endsAt: '2024-12-31T23:00:00Z',
    });
    await create({
      code: 'SHOES',
      name: 'Shoes',
      effect: { kind: 'percentage', percentBp: 2000 },
      categoryIds: ['0199a83f-8840-7236-b5b8-000000000001'],
    });
    const { id, token } = await h.guestCart();
    await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'SOCK', quantity: 2 } });
    const tryCode = (code: string) => h.call('PUT', `/carts/${id}/code`, { cartToken: token, body: { code } });

    const small = await tryCode('big50');
    expect(small.status).toBe(422);
    expect(small.body).toMatchObject({
      code: 'code_not_applicable',
      reasonCode: 'min_subtotal',
      promotionCode: 'BIG50',
    });
    expect(small.body.detail).toBe('this code needs a subtotal of at least $50.00');
    expect((await tryCode('OLD')).body.detail).toBe('this code expired on 2024-12-31');
    expect((await tryCode('SHOES')).body.detail).toBe('this code is not valid for these products');
    expect((await tryCode('NO-SUCH-CODE')).body.detail).toBe('this code is not valid');

    await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'SHOE', quantity: 2 } });
    const ok = await tryCode('big50');
    expect(ok.status).toBe(200);
    expect(ok.body.code).toEqual({ code: 'BIG50', applied: true, reasonCode: null, reason: null });
    expect(ok.body.totals).toMatchObject({ subtotal: 7000, orderDiscount: 1000, merchandise: 6000 });

    // Removing the shoes takes the cart below the minimum: the code stays, shown as not applied, and checkout refuses.
    await h.call('DELETE', `/carts/${id}/lines/SHOE`, { cartToken: token });
    await h.call('PUT', `/carts/${id}/shipping`, { cartToken: token, body: { option: 'standard', region: 'US-CA' } });
    const read = await h.call('GET', `/carts/${id}`, { cartToken: token });
    expect(read.body.code).toMatchObject({ applied: false, reasonCode: 'min_subtotal' });
    expect(read.body.totals.discount).toBe(0);
    const quote = await h.call('POST', `/carts/${id}/checkout-quote`, { cartToken: token });
    expect([quote.status, quote.body.code, quote.body.reasonCode]).toEqual([
      409,
      'code_not_applicable',
      'min_subtotal',
    ]);
    expect((await h.call('DELETE', `/carts/${id}/code`, { cartToken: token })).body.code).toBeNull();
    expect((await h.call('POST', `/carts/${id}/checkout-quote`, { cartToken: token })).status).toBe(200);
  });

  it('automatic promotions apply without a code; customer-only codes need a signed-in customer', async () => {
    await create({
      name: 'Socks 3 for 2',
      effect: { kind: 'buy_x_get_y', buy: 2, get: 1 },
      productIds: [(await h.catalog.lookup(['SOCK'], 'USD')).get('SOCK')?.productId],
    });
    await create({ code: 'MEMBERS', name: 'Members', effect: { kind: 'free_shipping' }, customerOnly: true });
    const { id, token } = await h.guestCart();
    const r = await h.call('POST', `/carts/${id}/lines`, { cartToken: token, body: { sku: 'SOCK', quantity: 3 } });
    expect(r.body.promotions).toEqual([
      expect.objectContaining({ name: 'Socks 3 for 2', kind: 'buy_x_get_y', discount: 500 }),
    ]);
    expect(r.body.totals).toMatchObject({ subtotal: 1500, lineDiscount: 500, merchandise: 1000 });
    const guest = await h.call('PUT', `/carts/${id}/code`, { cartToken: token, body: { code: 'members' } });
    expect(guest.body.detail).toBe('sign in to use this code');
    const me = await h.customer();
    const mine = (await h.call('POST', '/carts', { token: me, body: {} })).body.cart.id;
    await h.call('POST', `/carts/${mine}/lines`, { token: me, body: { sku: 'SOCK' } });
    await h.call('PUT', `/carts/${mine}/shipping`, { token: me, body: { option: 'express' } });
    const applied = await h.call('PUT', `/carts/${mine}/code`, { token: me, body: { code: 'members' } });
    expect(applied.status).toBe(200);
    expect(applied.body.totals.shipping).toBe(0);
    expect(applied.body.shippingOptions.find((o: { id: string }) => o.id === 'express')).toMatchObject({
      price: 1999,
      amount: 0,
    });
  });
});

describe('redemption at checkout', () => {
  it('is for services only', async () => {
    await create({ code: 'SVC1', name: 'x', effect: { kind: 'free_shipping' } });
    const body = { orderId: newId() };
    expect((await h.call('POST', '/promotions/SVC1/redeem', { body })).status).toBe(401);
    expect(
      (
        await h.call('POST', '/promotions/SVC1/redeem', {
          body,
          headers: { 'x-service-token': 'wrong-token-wrong-token-0' },
        })
      ).status,
    ).toBe(403);
    expect((await h.call('POST', '/promotions/SVC1/redeem', { body, token: staff })).status).toBe(401);
  });

  it('a code limited to 100 uses is used exactly 100 times by 150 concurrent orders', async () => {
    const p = await create({
      code: 'HUNDRED',
      name: 'x',
      effect: { kind: 'percentage', percentBp: 1000 },
      usageLimit: 100,
    });
    const results = await Promise.all(Array.from({ length: 150 }, () => redeem('hundred', newId())));
    const by = (s: number) => results.filter((r) => r.status === s).length;
    expect([by(200), by(409)]).toEqual([100, 50]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('usage_limit');
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const after = await h.call('GET', `/admin/promotions/${p.id}`, { token: staff });
    expect(after.body.usedCount).toBe(100);
    const { rows } = await h.db.query('SELECT count(*)::int AS n FROM promotion_redemptions WHERE promotion_id = $1', [
      p.id,
    ]);
    expect(rows[0]?.n).toBe(100);
    expect((await h.events('promotion.redeemed.v1')).filter((e) => e.payload.promotionId === p.id)).toHaveLength(100);
  });

  it('is idempotent per order, even when the same order retries concurrently', async () => {
    const p = await create({ code: 'ONCE', name: 'x', effect: { kind: 'free_shipping' }, usageLimit: 5 });
    const orderId = newId();
    const same = await Promise.all(Array.from({ length: 10 }, () => redeem('ONCE', orderId)));
    expect(same.every((r) => r.status === 200)).toBe(true);
    expect(same.filter((r) => r.body.replayed === false)).toHaveLength(1);
    expect((await h.call('GET', `/admin/promotions/${p.id}`, { token: staff })).body.usedCount).toBe(1);
  });

  it('a per-customer limit holds under concurrency, and release gives the use back', async () => {
    const p = await create({
      code: 'WELCOME',
      name: 'x',
      effect: { kind: 'percentage', percentBp: 1500 },
      perCustomerLimit: 1,
    });
    const customer = newId();
    const orders = Array.from({ length: 8 }, () => newId());
    const results = await Promise.all(orders.map((o) => redeem(p.id, o, customer)));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'already_used')).toBe(true);
    expect((await redeem('WELCOME', newId())).body.code).toBe('customer_required');

    const winner = orders[results.findIndex((r) => r.status === 200)] ?? '';
    const release = (orderId: string) =>
      h.call('POST', '/promotions/WELCOME/release', {
        headers: { 'x-service-token': SERVICE_TOKEN },
        body: { orderId },
      });
    expect((await release(winner)).body).toMatchObject({ status: 'released', usedCount: 0, replayed: false });
    expect((await release(winner)).body).toMatchObject({ replayed: true });
    expect((await release(newId())).status).toBe(404);
    // The released order cannot count again; a new order of the same customer can.
    expect((await redeem('WELCOME', winner, customer)).body.code).toBe('redemption_released');
    expect((await redeem('WELCOME', newId(), customer)).status).toBe(200);
    const subjects = (await h.events()).filter((e) => e.payload.promotionId === p.id).map((e) => e.subject);
    expect(subjects).toEqual(['promotion.redeemed.v1', 'promotion.released.v1', 'promotion.redeemed.v1']);
  });

  it('refuses an expired or deactivated promotion, unknown ones are 404', async () => {
    const p = await create({
      code: 'GONE',
      name: 'x',
      effect: { kind: 'free_shipping' },
      endsAt: '2025-01-01T00:00:00Z',
    });
    expect((await redeem('GONE', newId())).body.code).toBe('expired');
    await h.call('PATCH', `/admin/promotions/${p.id}`, { token: staff, body: { endsAt: null, active: false } });
    expect((await redeem('GONE', newId())).body.code).toBe('inactive');
    expect((await redeem('NOSUCH', newId())).status).toBe(404);
    expect((await h.call('GET', `/admin/promotions/${p.id}`, { token: staff })).body.usedCount).toBe(0);
  });
});
