import { newId } from '@storefront/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from './test-orders.ts';
import { type Platform, platform, waitFor } from './test-platform.ts';

/** Staff refunds on the real bus with payments (sandbox): POST /admin/orders/{id}/refund → payment.refunded. */
let p: Platform;
let staff: string;
beforeAll(async () => {
  // Parcels stay at label_created, so orders stay confirmed and cancellable.
  p = await platform({ stepMs: 600_000 });
  staff = await p.token('staff-refunds', ['support']);
}, 60_000);
afterAll(() => p.close());

// 2 × 1000 + 10 % tax + 500 shipping.
const TOTAL = 2_700;

type Refund = { id: string; source: string; status: string; amount: number; failure: string | null };
type Detail = { order: { status: string; refunded: number }; refunds: Refund[] };

async function order(card: string, until: string[] = ['confirmed']) {
  const { id } = await placeOrder(p, 'cust-refund', [{ sku: 'SKU-A', qty: 2, price: 1_000 }], card);
  await waitFor(until.join('|'), async () => until.includes((await detail(id)).order.status));
  return id;
}

const detail = async (id: string) =>
  (await (await p.call('GET', `/admin/orders/${id}`, { token: staff })).json()) as Detail;
const refund = (id: string, key: string, body: unknown, token = staff) =>
  p.call('POST', `/admin/orders/${id}/refund`, { token, headers: { 'idempotency-key': key }, body });

describe('staff refunds', () => {
  it('partial, then the rest: one refund per key, nothing beyond the refundable, audited, on the detail', async () => {
    const id = await order('4242424242424242');
    const first = await refund(id, 'refund-key-1', { amount: 700, reason: 'late delivery' });
    expect(first.status, await first.clone().text()).toBe(202);
    const a = (await first.json()) as { refund: Refund; replayed: boolean };
    expect(a).toMatchObject({ refund: { source: 'staff', status: 'requested', amount: 700 }, replayed: false });

    const again = (await (await refund(id, 'refund-key-1', { amount: 700, reason: 'late delivery' })).json()) as {
      refund: Refund;
      replayed: boolean;
    };
    expect(again).toMatchObject({ refund: { id: a.refund.id }, replayed: true });
    const reused = await refund(id, 'refund-key-1', { amount: 701, reason: 'late delivery' });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { code: string }).code).toBe('idempotency_key_reused');

    // 700 is in flight: at most 2000 more, whatever payments has answered so far.
    const over = await refund(id, 'refund-key-2', { amount: TOTAL - 699, reason: 'too much' });
    expect(over.status).toBe(422);
    expect(over.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await over.json()).toMatchObject({ code: 'refund_exceeds_refundable', refundable: TOTAL - 700 });

    await waitFor('first refund settled', async () => (await detail(id)).order.refunded === 700);
    expect((await p.payment(id))?.refunded).toBe(700);

    const rest = await refund(id, 'refund-key-3', { reason: 'goodwill' });
    expect(rest.status).toBe(202);
    expect(((await rest.json()) as { refund: Refund }).refund.amount).toBe(TOTAL - 700);
    await waitFor('payment refunded', async () => (await p.payment(id))?.state === 'refunded');
    const d = await waitFor('order refunded', async () => {
      const x = await detail(id);
      return x.order.refunded === TOTAL ? x : undefined;
    });
    expect(d.refunds.map((r) => [r.source, r.status, r.amount])).toEqual([
      ['staff', 'refunded', 700],
      ['staff', 'refunded', TOTAL - 700],
    ]);
    const nothing = await refund(id, 'refund-key-4', { reason: 'once more' });
    expect(nothing.status).toBe(409);
    expect(((await nothing.json()) as { code: string }).code).toBe('not_refundable');
    // Payments was asked once per refund, never for a replay.
    expect(
      (
        await p.dbs.payments.query(
          `SELECT 1 FROM refunds WHERE payment_id IN (SELECT id FROM payments WHERE order_id = $1)`,
          [id],
        )
      ).rowCount,
    ).toBe(2);

    const { rows } = await p.dbs.orders.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM outbox WHERE subject = 'audit.recorded.v1' AND payload->'target'->>'id' = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.payload)).toMatchObject([
      { action: 'order.refund', actor: { id: 'staff-refunds' }, details: { amount: 700, reason: 'late delivery' } },
      { action: 'order.refund', details: { amount: TOTAL - 700, reason: 'goodwill' } },
    ]);
    const refunded = await p.dbs.orders.query(
      `SELECT 1 FROM outbox WHERE subject = 'order.refunded.v1' AND payload->>'orderId' = $1`,
      [id],
    );
    expect(refunded.rowCount).toBe(2);
  }, 60_000);

  it('refused when nothing was captured, for customers and staff without MFA, and for bad input', async () => {
    const declined = await order('4000000000000002', ['cancelled']);
    const res = await refund(declined, 'refund-key-5', { reason: 'why not' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('not_refundable');

    const id = await order('4242424242424242');
    expect((await refund(id, 'refund-key-6', { reason: 'x' }, await p.token('cust-refund'))).status).toBe(403);
    expect((await refund(id, 'refund-key-6', { reason: 'x' }, await p.token('staff-x', ['admin'], false))).status).toBe(
      403,
    );
    for (const body of [{ reason: '' }, { amount: 0, reason: 'x' }, { amount: 1.5, reason: 'x' }, {}]) {
      expect((await refund(id, 'refund-key-6', body)).status).toBe(422);
    }
    const noKey = await p.call('POST', `/admin/orders/${id}/refund`, { token: staff, body: { reason: 'x' } });
    expect(noKey.status).toBe(422);
    expect((await refund(newId(), 'refund-key-6', { reason: 'x' })).status).toBe(404);
    expect((await detail(id)).refunds).toEqual([]);
  }, 60_000);

  it('a refund the provider fails shows failed with the reason and refunds nothing', async () => {
    const id = await order('4000000000005126');
    expect((await refund(id, 'refund-key-7', { amount: 500, reason: 'damaged box' })).status).toBe(202);
    const d = await waitFor('refund failed', async () => {
      const x = await detail(id);
      return x.refunds[0]?.status === 'failed' ? x : undefined;
    });
    expect(d.refunds[0]?.failure).toBeTruthy();
    expect(d.order.refunded).toBe(0);
    // Nothing is in flight any more: the amount can be asked again.
    expect((await refund(id, 'refund-key-8', { amount: TOTAL, reason: 'again' })).status).toBe(202);
  }, 60_000);

  it('a cancel waits for a staff refund in flight', async () => {
    const id = await order('4242424242424242');
    // A refund payments has not answered yet, as it stands between the request and the outcome.
    await p.dbs.orders.query(
      `INSERT INTO staff_refunds (id, order_id, idem_key, request_hash, amount, currency, reason, status, requested_by,
              created_at, updated_at)
       VALUES ($1, $2, 'in-flight', 'h', 100, 'USD', 'r', 'requested', 'staff-refunds', now(), now())`,
      [newId(), id],
    );
    const res = await p.call('POST', `/admin/orders/${id}/cancel`, { token: staff, body: { reason: 'r' } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('not_cancellable');
    expect((await refund(id, 'refund-key-10', { amount: TOTAL - 99, reason: 'x' })).status).toBe(422);
  }, 60_000);

  it('everything refunded by staff, then cancelled: no second refund, stock back', async () => {
    const before = await p.stockOf('SKU-A');
    const id = await order('4242424242424242');
    expect((await refund(id, 'refund-key-9', { reason: 'customer called' })).status).toBe(202);
    await waitFor('refunded', async () => (await detail(id)).order.refunded === TOTAL);
    expect((await p.call('POST', `/admin/orders/${id}/cancel`, { token: staff, body: { reason: 'r' } })).status).toBe(
      202,
    );
    const d = await waitFor('cancelled', async () => {
      const x = await detail(id);
      return x.order.status === 'cancelled' ? x : undefined;
    });
    expect(d.order.refunded).toBe(TOTAL);
    expect(d.refunds.map((r) => [r.source, r.status])).toEqual([['staff', 'refunded']]);
    expect(await p.payment(id)).toMatchObject({ state: 'refunded', refunded: TOTAL });
    await waitFor('stock back', async () => {
      const s = await p.stockOf('SKU-A');
      return s.onHand === before.onHand && s.reserved === before.reserved;
    });
  }, 60_000);
});
