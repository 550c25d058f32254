import { newId } from '@storefront/contracts';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, type Harness, harness } from './test-harness.ts';

let h: Harness;
const orders: { orderId: string; shipmentIds: string[] }[] = [];
beforeAll(async () => {
  h = await harness();
  await h.start();
  for (const customerId of ['cust-a', 'cust-b', null]) {
    const cmd = createRequest(['wh-east', 'wh-west'], { customerId });
    await h.send('shipment.create-requested.v1', cmd);
    const created = await h.waitFor('created', () =>
      h.heard.find((e) => e.subject === 'shipment.created.v1' && e.payload.orderId === cmd.orderId),
    );
    orders.push({
      orderId: cmd.orderId,
      shipmentIds: created.payload.shipments.map((s: { shipmentId: string }) => s.shipmentId),
    });
  }
});
afterAll(() => h.close());

const [a, b, guest] = [0, 1, 2];
const order = (i: number) => orders[i] as (typeof orders)[number];
const alice = { roles: ['customer' as const], sub: 'cust-a' };

describe('who reads which shipments', () => {
  it('shows a customer the shipments of their own order, without the outbound label', async () => {
    const res = await h.get(`/orders/${order(a).orderId}/shipments`, alice);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.shipments.map((s: { id: string }) => s.id)).toEqual(order(a).shipmentIds);
    expect(body.shipments[0].labelUrl).toBeNull();
    expect(body.shipments[0].timeline[0]).toMatchObject({ status: 'label_created', applied: true });
    const one = await h.get(`/shipments/${order(a).shipmentIds[0]}`, alice);
    expect(one.status).toBe(200);
  });

  it("answers 404 to a customer asking for another customer's or a guest's shipments", async () => {
    for (const i of [b, guest]) {
      const list = await h.get(`/orders/${order(i).orderId}/shipments`, alice);
      expect(list.status).toBe(404);
      expect(list.headers.get('content-type')).toContain('application/problem+json');
      expect((await h.get(`/shipments/${order(i).shipmentIds[0]}`, alice)).status).toBe(404);
    }
    // Indistinguishable from an id that does not exist.
    expect((await h.get(`/shipments/${newId()}`, alice)).status).toBe(404);
  });

  it.each(['fulfillment', 'support', 'admin'] as const)('lets %s staff read every order', async (role) => {
    for (const o of orders) {
      const res = await h.get(`/orders/${o.orderId}/shipments`, { roles: [role] });
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).shipments[0].labelUrl).toMatch(/^data:image/);
    }
  });

  it('refuses staff without MFA (403) and anonymous callers (401)', async () => {
    expect((await h.get(`/shipments/${order(a).shipmentIds[0]}`, { roles: ['support'], mfa: false })).status).toBe(403);
    expect((await h.get(`/shipments/${order(a).shipmentIds[0]}`)).status).toBe(401);
    expect((await h.get('/shipments', alice)).status).toBe(403);
    expect((await h.get('/shipments', { roles: ['merchandiser'] })).status).toBe(403);
    expect((await h.get('/shipments')).status).toBe(401);
  });

  it('pages staff through every shipment, newest first, filtered by status', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await h.get(`/shipments?status=label_created&limit=4${q}`, { roles: ['fulfillment'] });
      expect(res.status).toBe(200);
      const page = (await jsonOf(res)) as { items: { id: string; status: string }[]; nextCursor: string | null };
      expect(page.items.every((s) => s.status === 'label_created')).toBe(true);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = orders.flatMap((o) => o.shipmentIds);
    expect(seen).toEqual([...all].sort().reverse());
    const none = await h.get('/shipments?status=delivered', { roles: ['admin'] });
    expect((await jsonOf(none)).items).toEqual([]);
  });
});
