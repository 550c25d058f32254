import type { EventPayload } from '@storefront/contracts';
import type { Queryable } from '@storefront/kit';
import { CarrierRefused, type Label } from './carrier.ts';
import type { Core } from './core.ts';
import { describe, parcelReference, type Shipment } from './domain.ts';
import { announce, creationFailed, shipmentCreated } from './events.ts';
import { claimOrder, type FulfillmentOrder, setOrderState } from './store-orders.ts';
import * as shipments from './store-shipments.ts';
import { addTimeline } from './store-tracking.ts';

type CreateRequested = EventPayload<'shipment.create-requested.v1'>;

/**
 * shipment.create-requested.v1 → one shipment and label per parcel → shipment.created.v1, or
 * shipment.creation-failed.v1 when the carrier refuses. Idempotent per order: a re-sent command
 * (same or new event id) answers with the outcome already recorded, never with new labels.
 */
export async function createShipments(core: Core, tx: Queryable, cmd: CreateRequested): Promise<void> {
  const now = core.clock();
  const { created, order } = await claimOrder(
    tx,
    { orderId: cmd.orderId, customerId: cmd.customerId ?? null, state: 'created' },
    now,
  );
  if (!created) return replay(core, tx, order);

  const labels: Label[] = [];
  for (const [index, parcel] of cmd.parcels.entries()) {
    try {
      labels.push(
        await core.carrier.createLabel({
          reference: parcelReference(cmd.orderId, index),
          orderId: cmd.orderId,
          fromLocation: parcel.location,
          to: cmd.address,
          method: cmd.method,
          lines: parcel.lines,
        }),
      );
      // Chaos: a label bought, nothing committed; the retry must get the same label back.
      core.faults.point('fulfillment.label-created');
    } catch (err) {
      if (!(err instanceof CarrierRefused)) throw err;
      await voidLabels(core, labels);
      await setOrderState(tx, cmd.orderId, 'failed', err.reason, now);
      await creationFailed(core.outbox, tx, cmd.orderId, err.reason);
      core.log.warn({ orderId: cmd.orderId, reason: err.reason }, 'carrier refused the shipment');
      return;
    }
  }

  const made: Shipment[] = cmd.parcels.map((parcel, index) => {
    const label = labels[index] as Label;
    return {
      id: core.newId(),
      orderId: cmd.orderId,
      kind: 'outbound',
      parcelIndex: index,
      returnId: null,
      customerId: cmd.customerId ?? null,
      location: parcel.location,
      lines: parcel.lines,
      address: cmd.address,
      method: cmd.method,
      carrier: core.carrier.name,
      trackingNumber: label.trackingNumber,
      labelUrl: label.labelUrl,
      status: 'label_created',
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  for (const s of made) {
    await shipments.insertShipment(tx, s);
    const detail = describe('label_created', 'outbound', s.location);
    await addTimeline(
      tx,
      s.id,
      { status: 'label_created', at: now, detail, source: 'fulfillment', applied: true },
      now,
    );
    await announce(core.outbox, tx, s, 'label_created', now, detail);
  }
  await shipmentCreated(core.outbox, tx, cmd.orderId, made);
}

/** The answer already given for this order, given again (the saga may have missed it). */
async function replay(core: Core, tx: Queryable, order: FulfillmentOrder): Promise<void> {
  if (order.state === 'created') {
    const existing = await shipments.shipmentsOfOrder(tx, order.orderId, { kind: 'outbound' });
    if (existing.length) return void (await shipmentCreated(core.outbox, tx, order.orderId, existing));
  }
  const reason =
    order.state === 'cancelled' ? 'the order was cancelled before its shipments were created' : (order.reason ?? '');
  await creationFailed(core.outbox, tx, order.orderId, reason || 'shipment creation failed');
}

/** Labels bought for the other parcels of a refused order are voided, so nobody collects them. */
async function voidLabels(core: Core, labels: readonly Label[]): Promise<void> {
  for (const label of labels) {
    await core.carrier.cancel(label.trackingNumber).catch((err: unknown) => {
      if (!(err instanceof CarrierRefused)) throw err;
      core.log.warn({ trackingNumber: label.trackingNumber, reason: err.reason }, 'could not void a label');
    });
  }
}
