import type { Queryable } from '@storefront/kit';
import type { TimelineEntry } from './domain.ts';

/** SQL of the tracking timeline and of the carrier webhooks already applied. */

export async function addTimeline(q: Queryable, shipmentId: string, e: TimelineEntry, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO tracking_events (shipment_id, status, at, detail, source, applied, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [shipmentId, e.status, e.at, e.detail, e.source, e.applied, now],
  );
}

/** Timelines of several shipments, each in the order things happened (ties in the order recorded). */
export async function timelines(q: Queryable, shipmentIds: readonly string[]): Promise<Map<string, TimelineEntry[]>> {
  const out = new Map<string, TimelineEntry[]>(shipmentIds.map((id) => [id, []]));
  if (!shipmentIds.length) return out;
  const { rows } = await q.query<TimelineEntry & { shipmentId: string }>(
    `SELECT shipment_id AS "shipmentId", status, at, detail, source, applied
       FROM tracking_events WHERE shipment_id = ANY($1::uuid[]) ORDER BY at, id`,
    [shipmentIds],
  );
  for (const { shipmentId, ...entry } of rows) out.get(shipmentId)?.push(entry);
  return out;
}

/** Records a carrier event id; false if it was already applied (the carrier sent it again). */
export async function recordReceipt(q: Queryable, carrier: string, eventId: string, now: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO webhook_receipts (carrier, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [carrier, eventId, now],
  );
  return rowCount === 1;
}
