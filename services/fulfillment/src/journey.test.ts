import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, type Harness, harness } from './test-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

const ROUTE = ['label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered'];

describe('an order of two parcels, through the real bus and the dev carrier', () => {
  it('is labelled, walked to delivered by signed webhooks, and survives a restart mid-way', async () => {
    const STEP = 250;
    let instance = await h.start({ stepMs: STEP });
    const cmd = createRequest(['wh-east', 'store-soho']);
    await h.send('shipment.create-requested.v1', cmd);

    const created = await h.waitFor('shipment.created.v1', () =>
      h.heard.find((e) => e.subject === 'shipment.created.v1' && e.payload.orderId === cmd.orderId),
    );
    const shipments: { shipmentId: string; location: string; trackingNumber: string; carrier: string }[] =
      created.payload.shipments;
    expect(shipments.map((s) => s.location)).toEqual(['wh-east', 'store-soho']);
    expect(new Set(shipments.map((s) => s.trackingNumber)).size).toBe(2);
    expect(shipments.every((s) => s.carrier === 'devcarrier' && /^DC[0-9A-F]{16}$/.test(s.trackingNumber))).toBe(true);

    const statusesOf = (id: string) =>
      h.heard
        .filter((e) => e.subject === 'shipment.status-changed.v1' && e.payload.shipmentId === id)
        .map((e) => e.payload.status);

    // Stop once both parcels are on their way but not yet delivered, with steps falling due meanwhile.
    await h.waitFor('both parcels in transit', () =>
      shipments.every((s) => statusesOf(s.shipmentId).includes('in_transit')),
    );
    await instance.close();
    const atStop = shipments.map((s) => statusesOf(s.shipmentId).length);
    expect(atStop.every((n) => n < ROUTE.length)).toBe(true);
    await new Promise((r) => setTimeout(r, STEP * 2));

    instance = await h.start({ stepMs: STEP });
    await h.waitFor(
      'both delivered',
      () =>
        h.heard.filter((e) => e.subject === 'shipment.delivered.v1' && e.payload.orderId === cmd.orderId).length >= 2,
    );
    // Let any stray duplicate arrive before counting.
    await new Promise((r) => setTimeout(r, STEP * 2));

    for (const s of shipments) {
      expect(statusesOf(s.shipmentId), s.location).toEqual(ROUTE);
      const delivered = h.heard.filter(
        (e) => e.subject === 'shipment.delivered.v1' && e.payload.shipmentId === s.shipmentId,
      );
      expect(delivered).toHaveLength(1);
    }
    // Every status event was emitted once (the stream may redeliver; the outbox is the truth).
    const emitted = await h.emitted('shipment.status-changed.v1');
    expect(emitted.filter((e) => e.payload.orderId === cmd.orderId)).toHaveLength(ROUTE.length * 2);

    const staff = { roles: ['fulfillment' as const] };
    const read = await h.get(`/orders/${cmd.orderId}/shipments`, staff);
    expect(read.status).toBe(200);
    const body = await jsonOf(read);
    for (const s of body.shipments) {
      expect(s.status).toBe('delivered');
      expect(s.deliveredAt).not.toBeNull();
      expect(s.timeline.map((t: { status: string }) => t.status)).toEqual(ROUTE);
      expect(s.timeline.every((t: { applied: boolean }) => t.applied)).toBe(true);
    }
    // The scheduler has nothing left to do.
    const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM carrier_jobs`);
    expect(rows[0]?.n).toBe(0);
    await instance.close();
  });

  it('answers a re-sent command with the same shipments, buying no new label', async () => {
    const instance = await h.start();
    const cmd = createRequest(['wh-east', 'wh-west']);
    await h.send('shipment.create-requested.v1', cmd);
    await h.send('shipment.create-requested.v1', cmd);
    const answers = await h.waitFor('two answers', () => {
      const a = h.heard.filter((e) => e.subject === 'shipment.created.v1' && e.payload.orderId === cmd.orderId);
      return a.length >= 2 && a;
    });
    expect(answers[1]?.payload.shipments).toEqual(answers[0]?.payload.shipments);
    const { rows } = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM devcarrier_parcels WHERE reference LIKE $1`,
      [`order:${cmd.orderId}:%`],
    );
    expect(rows[0]?.n).toBe(2);
    await instance.close();
  });
});
