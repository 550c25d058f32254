import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveredOrder } from './test-orders.ts';
import { type Platform, platform, waitFor } from './test-platform.ts';

/** Returns end to end: delivered order → request → approve → label → received → inspect → refund + restock. */
let p: Platform;
beforeAll(async () => {
  p = await platform({ stepMs: 150 });
}, 60_000);
afterAll(() => p.close());

describe('returns', () => {
  it('full return: refund of everything paid (shipping too) and restock at the chosen location', async () => {
    const { id, token } = await deliveredOrder(p, 'cust-r1');
    const before = await p.stockOf('SKU-A');
    const lines = [
      { sku: 'SKU-A', qty: 2, reason: 'changed_mind' },
      { sku: 'SKU-B', qty: 1, reason: 'does_not_fit' },
    ];
    const other = await p.token('cust-intruder');
    expect((await p.call('POST', `/orders/${id}/returns`, { token: other, body: { lines } })).status).toBe(404);
    expect((await p.call('GET', `/orders/${id}`, { token: other })).status).toBe(404);
    expect((await p.call('GET', `/orders/${id}/returns`, { token: other })).status).toBe(404);
    const created = await p.call('POST', `/orders/${id}/returns`, {
      token,
      body: { lines, note: 'Bought the wrong set' },
    });
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

    // Staff see it whole: order number and currency, the customer's note and reasons, location, label, refund.
    const got = await p.call('GET', `/admin/returns/${r.id}`, { token: staff });
    expect(got.status).toBe(200);
    const number = ((await (await p.call('GET', `/orders/${id}`, { token })).json()) as { number: string }).number;
    expect(await got.json()).toMatchObject({
      id: r.id,
      orderId: id,
      orderNumber: number,
      currency: 'USD',
      status: 'refunded',
      lines,
      note: 'Bought the wrong set',
      rejection: null,
      toLocation: 'wh-2',
      label: { carrier: expect.any(String), trackingNumber: expect.any(String) },
      refund: { state: 'refunded', amount: 6_000, shipping: true },
      restockLocation: 'wh-2',
      restocked: true,
    });
    expect((await p.call('GET', `/admin/returns/${r.id}`, { token })).status).toBe(403);
    expect((await p.call('GET', `/admin/returns/${newId()}`, { token: staff })).status).toBe(404);
    const list = (await (await p.call('GET', '/admin/returns?limit=200', { token: staff })).json()) as {
      items: { id: string; orderNumber: string; currency: string }[];
    };
    expect(list.items.find((x) => x.id === r.id)).toMatchObject({ orderNumber: number, currency: 'USD' });
  }, 60_000);

  it('counts orders and returns by status for the admin overview', async () => {
    const staff = await p.token('staff-r', ['support']);
    const res = await p.call('GET', '/admin/stats', { token: staff });
    expect(res.status).toBe(200);
    const s = (await res.json()) as { orders: Record<string, number>; returns: Record<string, number> };
    const { rows } = await p.dbs.orders.query<{ d: number; r: number }>(
      `SELECT (SELECT count(*) FROM orders WHERE status = 'delivered')::int AS d, (SELECT count(*) FROM returns)::int AS r`,
    );
    expect(s.orders.delivered).toBe(rows[0]?.d);
    expect(s.orders.cancelled).toBeTypeOf('number');
    expect(Object.values(s.returns).reduce((a, b) => a + b, 0)).toBe(rows[0]?.r);
    expect(s.returns.requested).toBeTypeOf('number');
    expect((await p.call('GET', '/admin/stats', { token: await p.token('cust-r9') })).status).toBe(403);
  }, 60_000);

  it('a return refunds at most what is still refundable: 422 above it, the rest without an amount', async () => {
    const { id, token } = await deliveredOrder(p, 'cust-r3');
    const staff = await p.token('staff-r', ['admin']);
    // 5 000 of the 6 000 goes back as a staff refund first (in flight or settled, it counts).
    const refunded = await p.call('POST', `/admin/orders/${id}/refund`, {
      token: staff,
      headers: { 'idempotency-key': `refund-${id}` },
      body: { amount: 5_000, reason: 'goodwill' },
    });
    expect(refunded.status, await refunded.clone().text()).toBe(202);
    // SKU-B damaged: its 3 300 and the 500 shipping by the rule, but only 1 000 is left.
    const res = await p.call('POST', `/orders/${id}/returns`, {
      token,
      body: { lines: [{ sku: 'SKU-B', qty: 1, reason: 'damaged' }], note: 'Cracked' },
    });
    const r = (await res.json()) as { id: string };
    await p.call('POST', `/admin/returns/${r.id}/approve`, { token: staff, body: { toLocation: 'wh-1' } });
    const over = await p.call('POST', `/admin/returns/${r.id}/inspect`, {
      token: staff,
      body: { restockLocation: 'wh-1', refundAmount: 1_001 },
    });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ code: 'refund_exceeds_refundable', refundable: 1_000 });
    const ok = await p.call('POST', `/admin/returns/${r.id}/inspect`, {
      token: staff,
      body: { restockLocation: 'wh-1' },
    });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(((await ok.json()) as { refundAmount: number }).refundAmount).toBe(1_000);
    await waitFor('all refunded', async () => (await p.payment(id))?.refunded === 6_000);
    const detail = (await (await p.call('GET', `/admin/returns/${r.id}`, { token: staff })).json()) as {
      refund: { state: string; amount: number; shipping: boolean };
      note: string;
    };
    expect(detail).toMatchObject({ note: 'Cracked', refund: { amount: 1_000, shipping: false } });
    // Nothing is left for a staff refund either.
    const none = await p.call('POST', `/admin/orders/${id}/refund`, {
      token: staff,
      headers: { 'idempotency-key': `refund2-${id}` },
      body: { reason: 'more' },
    });
    expect(none.status).toBe(409);
  }, 60_000);

  it('a rejection keeps the customer note', async () => {
    const { id, token } = await deliveredOrder(p, 'cust-r4');
    const res = await p.call('POST', `/orders/${id}/returns`, {
      token,
      body: { lines: [{ sku: 'SKU-A', qty: 1, reason: 'other' }], note: 'Please call me' },
    });
    const r = (await res.json()) as { id: string };
    const staff = await p.token('staff-r', ['support']);
    expect(
      (await p.call('POST', `/admin/returns/${r.id}/reject`, { token: staff, body: { reason: 'worn' } })).status,
    ).toBe(200);
    expect(await (await p.call('GET', `/admin/returns/${r.id}`, { token: staff })).json()).toMatchObject({
      status: 'rejected',
      note: 'Please call me',
      rejection: 'worn',
      refund: { state: 'none', amount: null },
    });
  }, 60_000);

  it('partial return for a change of mind keeps the shipping; staff may refund less', async () => {
    const { id, token } = await deliveredOrder(p, 'cust-r2');
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
