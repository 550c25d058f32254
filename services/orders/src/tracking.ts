import type { EventPayload } from '@storefront/contracts';
import type { Queryable } from '@storefront/kit';
import type { Core } from './core.ts';
import type { ShipmentRef } from './domain.ts';
import * as events from './order-events.ts';
import { lockOrder, setShipments, setStatus } from './store-orders.ts';

/**
 * Fulfillment's news about a confirmed order's parcels: the order shows shipped once any parcel
 * has left, delivered once all have arrived. Status only moves forward.
 */
const LEFT = new Set(['picked_up', 'in_transit', 'out_for_delivery', 'delivered']);

export async function shipmentsCreated(core: Core, tx: Queryable, p: EventPayload<'shipment.created.v1'>) {
  const o = await lockOrder(tx, p.orderId);
  if (!o) return;
  const known = new Map(o.shipments.map((s) => [s.shipmentId, s]));
  const list: ShipmentRef[] = p.shipments.map(
    (s) => known.get(s.shipmentId) ?? { ...s, status: 'label_created', deliveredAt: null },
  );
  await setShipments(tx, o.id, list, core.clock());
}

export async function statusChanged(core: Core, tx: Queryable, p: EventPayload<'shipment.status-changed.v1'>) {
  const o = await lockOrder(tx, p.orderId);
  if (!o) return;
  const now = core.clock();
  const list = o.shipments.map((s) =>
    s.shipmentId === p.shipmentId && s.status !== 'delivered' ? { ...s, status: p.status } : s,
  );
  await setShipments(tx, o.id, list, now);
  if (o.status === 'confirmed' && LEFT.has(p.status)) {
    await setStatus(tx, o.id, { status: 'shipped', now });
    await events.shipped(core.outbox, tx, { ...o, shipments: list });
  }
}

export async function delivered(core: Core, tx: Queryable, p: EventPayload<'shipment.delivered.v1'>) {
  const o = await lockOrder(tx, p.orderId);
  if (!o) return;
  const now = core.clock();
  const list = o.shipments.map((s) =>
    s.shipmentId === p.shipmentId ? { ...s, status: 'delivered', deliveredAt: s.deliveredAt ?? p.at } : s,
  );
  await setShipments(tx, o.id, list, now);
  const all = list.length > 0 && list.every((s) => s.status === 'delivered');
  if (all && (o.status === 'confirmed' || o.status === 'shipped')) {
    if (o.status === 'confirmed') await events.shipped(core.outbox, tx, { ...o, shipments: list });
    await setStatus(tx, o.id, { status: 'delivered', now: new Date(p.at) });
    await events.delivered(core.outbox, tx, o, new Date(p.at));
  }
}
