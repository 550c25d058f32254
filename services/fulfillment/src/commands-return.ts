import type { EventPayload } from '@storefront/contracts';
import { EventRejected, type Queryable } from '@storefront/kit';
import { CarrierRefused, type Label } from './carrier.ts';
import type { Core } from './core.ts';
import { describe, returnReference, type Shipment } from './domain.ts';
import { returnLabelCreated } from './events.ts';
import { getOrder, lockKey } from './store-orders.ts';
import * as shipments from './store-shipments.ts';
import { addTimeline } from './store-tracking.ts';

type ReturnRequested = EventPayload<'shipment.return-requested.v1'>;

/**
 * shipment.return-requested.v1 → a return label → shipment.return-label-created.v1. The carrier
 * then moves the return parcel; its arrival emits shipment.return-received.v1 (tracking.ts).
 * Idempotent per return id. The contracts have no failure outcome for a return label, so a
 * refusal dead-letters the command (EventRejected) where operators see it.
 */
export async function createReturn(core: Core, tx: Queryable, cmd: ReturnRequested): Promise<void> {
  await lockKey(tx, returnReference(cmd.returnId));
  const existing = await shipments.shipmentByReturn(tx, cmd.returnId);
  if (existing) return void (await returnLabelCreated(core.outbox, tx, existing));

  let label: Label;
  try {
    label = await core.carrier.createReturnLabel({
      reference: returnReference(cmd.returnId),
      orderId: cmd.orderId,
      from: cmd.from,
      toLocation: cmd.toLocation,
      lines: cmd.lines,
    });
  } catch (err) {
    if (err instanceof CarrierRefused) throw new EventRejected(`return label refused: ${err.reason}`);
    throw err;
  }
  core.faults.point('fulfillment.return-label-created');

  const now = core.clock();
  const order = await getOrder(tx, cmd.orderId);
  const s: Shipment = {
    id: core.newId(),
    orderId: cmd.orderId,
    kind: 'return',
    parcelIndex: null,
    returnId: cmd.returnId,
    customerId: order?.customerId ?? null,
    location: cmd.toLocation,
    lines: cmd.lines,
    address: cmd.from,
    method: 'return',
    carrier: core.carrier.name,
    trackingNumber: label.trackingNumber,
    labelUrl: label.labelUrl,
    status: 'label_created',
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await shipments.insertShipment(tx, s);
  const detail = describe('label_created', 'return', s.location);
  await addTimeline(tx, s.id, { status: 'label_created', at: now, detail, source: 'fulfillment', applied: true }, now);
  await returnLabelCreated(core.outbox, tx, s);
}
