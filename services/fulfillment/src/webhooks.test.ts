import { newId } from '@storefront/contracts';
import { jsonOf } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, type Harness, harness, type Instance } from './test-harness.ts';

let h: Harness;
let instance: Instance;
beforeAll(async () => {
  h = await harness();
  // Steps far apart: these tests play the carrier by hand.
  instance = await h.start({ stepMs: 600_000 });
});
afterAll(() => h.close());

/** A fresh order with one labelled parcel; returns its shipment id and tracking number. */
async function shipment(): Promise<{ orderId: string; shipmentId: string; trackingNumber: string }> {
  const cmd = createRequest(['wh-east']);
  await h.send('shipment.create-requested.v1', cmd);
  const created = await h.waitFor('created', () =>
    h.heard.find((e) => e.subject === 'shipment.created.v1' && e.payload.orderId === cmd.orderId),
  );
  const s = created.payload.shipments[0];
  return { orderId: cmd.orderId, shipmentId: s.shipmentId, trackingNumber: s.trackingNumber };
}

const report = (trackingNumber: string, status: string, o: { id?: string; at?: Date } = {}) => ({
  id: o.id ?? newId(),
  type: 'tracking.updated',
  trackingNumber,
  status,
  occurredAt: (o.at ?? new Date()).toISOString(),
});

async function statusEvents(shipmentId: string): Promise<string[]> {
  const rows = await h.emitted('shipment.status-changed.v1');
  return rows.filter((r) => r.payload.shipmentId === shipmentId).map((r) => r.payload.status);
}

async function timeline(shipmentId: string) {
  const res = await h.get(`/shipments/${shipmentId}`, { roles: ['support'] });
  expect(res.status).toBe(200);
  return (await jsonOf(res)) as { status: string; timeline: { status: string; applied: boolean; detail: string }[] };
}

describe('POST /webhooks/carriers/devcarrier', () => {
  it('applies a duplicate event once', async () => {
    const s = await shipment();
    const event = report(s.trackingNumber, 'picked_up');
    const first = await h.webhook(event);
    expect(first.status).toBe(200);
    expect(await jsonOf(first)).toEqual({ received: true, outcome: 'applied' });
    for (let i = 0; i < 3; i++) {
      const again = await h.webhook(event);
      expect(again.status).toBe(200);
      expect((await jsonOf(again)).outcome).toBe('duplicate');
    }
    expect(await statusEvents(s.shipmentId)).toEqual(['label_created', 'picked_up']);
    const t = await timeline(s.shipmentId);
    expect(t.timeline.filter((e) => e.status === 'picked_up')).toHaveLength(1);
  });

  it('refuses a forged signature, a stale or future timestamp, and a missing header (401 problem)', async () => {
    const s = await shipment();
    const event = report(s.trackingNumber, 'picked_up');
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      await h.webhook(event, { secret: 'not-the-secret-0123456789' }),
      await h.webhook(event, { at: now - 6 * 60 }),
      await h.webhook(event, { at: now + 6 * 60 }),
      await h.webhook(event, { header: null }),
      await h.webhook(event, { header: `t=${now},v1=${'0'.repeat(64)}` }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await statusEvents(s.shipmentId)).toEqual(['label_created']);
    // The refused calls left no receipt behind: the genuine event still applies.
    expect((await jsonOf(await h.webhook(event))).outcome).toBe('applied');
  });

  it('records an older status arriving late without moving tracking backwards', async () => {
    const s = await shipment();
    const t0 = Date.now();
    await h.webhook(report(s.trackingNumber, 'in_transit', { at: new Date(t0) }));
    const late = await h.webhook(report(s.trackingNumber, 'picked_up', { at: new Date(t0 - 60_000) }));
    expect((await jsonOf(late)).outcome).toBe('recorded');
    const t = await timeline(s.shipmentId);
    expect(t.status).toBe('in_transit');
    expect(t.timeline.map((e) => [e.status, e.applied])).toEqual([
      ['picked_up', false],
      ['label_created', true],
      ['in_transit', true],
    ]);
    expect(await statusEvents(s.shipmentId)).toEqual(['label_created', 'in_transit']);
  });

  it('emits delivered once, and nothing moves a delivered shipment', async () => {
    const s = await shipment();
    await h.webhook(report(s.trackingNumber, 'delivered'));
    await h.webhook(report(s.trackingNumber, 'delivered'));
    await h.webhook(report(s.trackingNumber, 'out_for_delivery'));
    const delivered = (await h.emitted('shipment.delivered.v1')).filter((e) => e.payload.shipmentId === s.shipmentId);
    expect(delivered).toHaveLength(1);
    expect((await timeline(s.shipmentId)).status).toBe('delivered');
  });

  it('announces an exception without changing the status', async () => {
    const s = await shipment();
    await h.webhook({ ...report(s.trackingNumber, 'exception'), detail: 'Address not found, retrying tomorrow' });
    expect(await statusEvents(s.shipmentId)).toEqual(['label_created', 'exception']);
    expect((await timeline(s.shipmentId)).status).toBe('label_created');
  });

  it('answers 404 for an unknown tracking number and keeps no receipt, 4xx for signed junk', async () => {
    const event = report('DC0000000000000000', 'picked_up');
    expect((await h.webhook(event)).status).toBe(404);
    const { rows } = await h.db.query(`SELECT 1 FROM webhook_receipts WHERE event_id = $1`, [event.id]);
    expect(rows).toHaveLength(0);
    expect((await h.webhook('{"broken')).status).toBe(400);
    expect((await h.webhook({ ...event, status: 'teleported' })).status).toBe(422);
    expect((await fetch(`${instance.url}/webhooks/carriers/ups`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('is retried with backoff by the dev carrier when our endpoint fails', async () => {
    await instance.close();
    const failTwice = { route: 'POST /webhooks/carriers/:carrier', fail: 1, times: 2, status: 503 };
    instance = await h.start({ stepMs: 100, retryBaseMs: 300, faults: [failTwice] });
    const s = await shipment();
    const job = await h.waitFor('a failed attempt on record', async () => {
      const { rows } = await h.db.query<{ attempts: number; lastError: string }>(
        `SELECT attempts, last_error AS "lastError" FROM carrier_jobs WHERE tracking_number = $1 AND attempts > 0`,
        [s.trackingNumber],
      );
      return rows[0];
    });
    expect(job.lastError).toContain('503');
    await h.waitFor('picked_up despite two failures', async () =>
      (await statusEvents(s.shipmentId)).includes('picked_up'),
    );
    expect(await statusEvents(s.shipmentId)).toEqual(['label_created', 'picked_up']);
    await instance.close();
    instance = await h.start({ stepMs: 600_000 });
  });
});
