import { newId } from '@storefront/contracts';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, type Harness, harness, type Instance, type Received } from './test-harness.ts';

let h: Harness;
let instance: Instance | undefined;
beforeAll(async () => {
  h = await harness();
});
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});
afterAll(() => h.close());

const answer = (subject: string, orderId: string) =>
  h.waitFor(subject, () => h.heard.find((e) => e.subject === subject && e.payload.orderId === orderId));
const heardFor = (orderId: string) => h.heard.filter((e: Received) => e.payload.orderId === orderId);

async function timeline(shipmentId: string) {
  const res = await h.get(`/shipments/${shipmentId}`, { roles: ['fulfillment'] });
  return (await jsonOf(res)) as { status: string; timeline: { status: string; applied: boolean; detail: string }[] };
}

describe('shipment.create-requested.v1 the carrier refuses', () => {
  it.each([
    ['a postal code it does not serve', { postalCode: '00000' }, 'postal code 00000'],
    ['a country it does not serve', { country: 'AQ' }, 'country AQ'],
  ])('answers creation-failed with the reason for %s, and again when re-sent', async (_name, address, reason) => {
    instance = await h.start();
    const cmd = createRequest(['wh-east', 'wh-west'], address);
    await h.send('shipment.create-requested.v1', cmd);
    const failed = await answer('shipment.creation-failed.v1', cmd.orderId);
    expect(failed.payload.reason).toContain(reason);
    await h.send('shipment.create-requested.v1', cmd);
    await h.waitFor('second answer', () =>
      heardFor(cmd.orderId).filter((e) => e.subject === 'shipment.creation-failed.v1').length === 2 ? true : undefined,
    );
    expect(heardFor(cmd.orderId).some((e) => e.subject === 'shipment.created.v1')).toBe(false);
    const res = await h.get(`/orders/${cmd.orderId}/shipments`, { roles: ['admin'] });
    expect(res.status).toBe(404);
  });
});

describe('shipment.cancel-requested.v1', () => {
  it('voids every label before pickup and answers cancelled', async () => {
    instance = await h.start();
    const cmd = createRequest(['wh-east', 'wh-west']);
    await h.send('shipment.create-requested.v1', cmd);
    const created = await answer('shipment.created.v1', cmd.orderId);
    await h.send('shipment.cancel-requested.v1', { orderId: cmd.orderId, reason: 'payment capture failed' });
    await answer('shipment.cancelled.v1', cmd.orderId);
    for (const s of created.payload.shipments) {
      const t = await timeline(s.shipmentId);
      expect(t.status).toBe('cancelled');
      expect(t.timeline.at(-1)?.detail).toContain('payment capture failed');
    }
    const { rows } = await h.db.query<{ status: string }>(
      `SELECT status FROM devcarrier_parcels WHERE reference LIKE $1`,
      [`order:${cmd.orderId}:%`],
    );
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    // Voided parcels are never walked on: their pending steps are dropped.
    await h.db.query(`UPDATE carrier_jobs SET due_at = now() WHERE tracking_number = ANY($1)`, [
      created.payload.shipments.map((s: { trackingNumber: string }) => s.trackingNumber),
    ]);
    await instance.runner.runOnce();
    const events = heardFor(cmd.orderId).filter((e) => e.subject === 'shipment.status-changed.v1');
    expect(events.map((e) => e.payload.status).sort()).toEqual([
      'cancelled',
      'cancelled',
      'label_created',
      'label_created',
    ]);
  });

  it('is refused after pickup: nothing cancelled, nothing emitted, the refusal on the timeline', async () => {
    instance = await h.start({ stepMs: 100 });
    const cmd = createRequest(['wh-east']);
    await h.send('shipment.create-requested.v1', cmd);
    const created = await answer('shipment.created.v1', cmd.orderId);
    const id = created.payload.shipments[0].shipmentId;
    await h.waitFor('picked up', async () => (await timeline(id)).status !== 'label_created');
    await instance.close();
    instance = await h.start();
    await h.send('shipment.cancel-requested.v1', { orderId: cmd.orderId, reason: 'customer changed their mind' });
    await h.waitFor('refusal recorded', async () =>
      (await timeline(id)).timeline.find((e) => e.detail.startsWith('Cancel refused')),
    );
    expect(heardFor(cmd.orderId).some((e) => e.subject === 'shipment.cancelled.v1')).toBe(false);
    expect((await timeline(id)).status).not.toBe('cancelled');
  });

  it('is refused by the carrier when the parcel left before its webhook reached us', async () => {
    // Our endpoint fails every call: the carrier has picked the parcel up, we do not know yet.
    const down = { route: 'POST /webhooks/carriers/:carrier', fail: 1, status: 503 };
    instance = await h.start({ stepMs: 50, retryBaseMs: 60_000, faults: [down] });
    const cmd = createRequest(['wh-east']);
    await h.send('shipment.create-requested.v1', cmd);
    const created = await answer('shipment.created.v1', cmd.orderId);
    const { shipmentId, trackingNumber } = created.payload.shipments[0];
    await h.waitFor('carrier-side pickup', async () => {
      const { rows } = await h.db.query(
        `SELECT 1 FROM devcarrier_parcels WHERE tracking_number = $1 AND status = 'picked_up'`,
        [trackingNumber],
      );
      return rows.length > 0;
    });
    await h.send('shipment.cancel-requested.v1', { orderId: cmd.orderId, reason: 'too late' });
    await h.waitFor('refusal recorded', async () =>
      (await timeline(shipmentId)).timeline.find((e) => e.detail.startsWith('Cancel refused')),
    );
    expect((await timeline(shipmentId)).status).toBe('label_created');
    expect(heardFor(cmd.orderId).some((e) => e.subject === 'shipment.cancelled.v1')).toBe(false);
  });

  it('answers cancelled for an order never shipped, and a late create-request then fails', async () => {
    instance = await h.start();
    const cmd = createRequest(['wh-east']);
    await h.send('shipment.cancel-requested.v1', { orderId: cmd.orderId, reason: 'saga timed out' });
    await answer('shipment.cancelled.v1', cmd.orderId);
    await h.send('shipment.create-requested.v1', cmd);
    const failed = await answer('shipment.creation-failed.v1', cmd.orderId);
    expect(failed.payload.reason).toContain('cancelled');
    const { rows } = await h.db.query(`SELECT 1 FROM devcarrier_parcels WHERE reference LIKE $1`, [
      `order:${cmd.orderId}:%`,
    ]);
    expect(rows).toHaveLength(0);
  });
});

describe('shipment.return-requested.v1', () => {
  it('creates a return label, then the carrier brings the parcel back: return-received', async () => {
    instance = await h.start({ stepMs: 150 });
    const cmd = createRequest(['wh-east'], { customerId: 'cust-returns' });
    await h.send('shipment.create-requested.v1', cmd);
    await answer('shipment.created.v1', cmd.orderId);
    const returnId = newId();
    const request = {
      orderId: cmd.orderId,
      returnId,
      from: cmd.address,
      toLocation: 'wh-returns',
      lines: [{ sku: 'SKU-1', qty: 1 }],
    };
    await h.send('shipment.return-requested.v1', request);
    const label = await answer('shipment.return-label-created.v1', cmd.orderId);
    expect(label.payload).toMatchObject({ returnId, carrier: 'devcarrier' });
    expect(label.payload.labelUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    await h.send('shipment.return-requested.v1', request);

    const received = await answer('shipment.return-received.v1', cmd.orderId);
    expect(received.payload.returnId).toBe(returnId);
    const labels = heardFor(cmd.orderId).filter((e) => e.subject === 'shipment.return-label-created.v1');
    expect(labels).toHaveLength(2);
    expect(labels[1]?.payload.trackingNumber).toBe(labels[0]?.payload.trackingNumber);

    // The customer sees the return, with its label, on their order.
    const res = await h.get(`/orders/${cmd.orderId}/shipments`, { roles: ['customer'], sub: 'cust-returns' });
    const body = await jsonOf(res);
    const ret = body.shipments.find((s: { kind: string }) => s.kind === 'return');
    expect(ret).toMatchObject({ returnId, status: 'delivered', location: 'wh-returns' });
    expect(ret.labelUrl).toBe(label.payload.labelUrl);
    expect(ret.timeline.map((t: { status: string }) => t.status)).toEqual([
      'label_created',
      'picked_up',
      'in_transit',
      'delivered',
    ]);
  });

  it('dead-letters a return the carrier refuses (the contracts have no failure outcome for it)', async () => {
    instance = await h.start();
    const orderId = newId();
    const returnId = newId();
    const from = { ...createRequest(['x']).address, postalCode: '00000' };
    await h.send('shipment.return-requested.v1', {
      orderId,
      returnId,
      from,
      toLocation: 'wh-returns',
      lines: [{ sku: 'A', qty: 1 }],
    });
    const dead = await h.waitFor('dead letter', async () => {
      const { rows } = await h.db.query<{ error: string }>(`SELECT error FROM dead_letters WHERE event_id IS NOT NULL`);
      return rows[0];
    });
    expect(dead.error).toContain('return label refused');
  });
});
