import type { Queryable } from '@storefront/kit';
import type { Shipment, ShipmentKind, ShipmentStatus } from './domain.ts';

/** SQL of shipments: one function per query, domain types out. */

const COLUMNS = `id, order_id AS "orderId", kind, parcel_index AS "parcelIndex", return_id AS "returnId",
  customer_id AS "customerId", location, lines, address, method, carrier, tracking_number AS "trackingNumber",
  label_url AS "labelUrl", status, delivered_at AS "deliveredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertShipment(q: Queryable, s: Shipment): Promise<void> {
  await q.query(
    `INSERT INTO shipments (id, order_id, kind, parcel_index, return_id, customer_id, location, lines, address, method,
                            carrier, tracking_number, label_url, status, delivered_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      s.id,
      s.orderId,
      s.kind,
      s.parcelIndex,
      s.returnId,
      s.customerId,
      s.location,
      JSON.stringify(s.lines),
      JSON.stringify(s.address),
      s.method,
      s.carrier,
      s.trackingNumber,
      s.labelUrl,
      s.status,
      s.deliveredAt,
      s.createdAt,
      s.updatedAt,
    ],
  );
}

/** An order's shipments in creation order; `lock` takes row locks for a status change. */
export async function shipmentsOfOrder(
  q: Queryable,
  orderId: string,
  opts: { kind?: ShipmentKind; lock?: boolean } = {},
): Promise<Shipment[]> {
  const { rows } = await q.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments
      WHERE order_id = $1 AND ($2::text IS NULL OR kind = $2)
      ORDER BY kind, parcel_index, id ${opts.lock ? 'FOR UPDATE' : ''}`,
    [orderId, opts.kind ?? null],
  );
  return rows;
}

export async function shipmentById(q: Queryable, id: string): Promise<Shipment | undefined> {
  const { rows } = await q.query<Shipment>(`SELECT ${COLUMNS} FROM shipments WHERE id = $1`, [id]);
  return rows[0];
}

export async function shipmentByReturn(q: Queryable, returnId: string): Promise<Shipment | undefined> {
  const { rows } = await q.query<Shipment>(`SELECT ${COLUMNS} FROM shipments WHERE return_id = $1`, [returnId]);
  return rows[0];
}

/** Locked: a webhook and a cancellation of the same parcel take turns. */
export async function lockByTracking(
  q: Queryable,
  carrier: string,
  trackingNumber: string,
): Promise<Shipment | undefined> {
  const { rows } = await q.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments WHERE carrier = $1 AND tracking_number = $2 FOR UPDATE`,
    [carrier, trackingNumber],
  );
  return rows[0];
}

export async function setStatus(q: Queryable, id: string, status: ShipmentStatus, now: Date): Promise<void> {
  await q.query(
    `UPDATE shipments SET status = $2, updated_at = $3,
            delivered_at = CASE WHEN $2 = 'delivered' THEN $3 ELSE delivered_at END
      WHERE id = $1`,
    [id, status, now],
  );
}

/** Newest first (ids are UUIDv7); `before` is the last id of the previous page. */
export async function listShipments(
  q: Queryable,
  f: { status: ShipmentStatus | null; before: string | null; limit: number },
): Promise<Shipment[]> {
  const { rows } = await q.query<Shipment>(
    `SELECT ${COLUMNS} FROM shipments
      WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3`,
    [f.status, f.before, f.limit],
  );
  return rows;
}
