import type { EventPayload } from '@storefront/contracts';
import type { Queryable } from '@storefront/kit';
import { CarrierRefused } from './carrier.ts';
import { type Core, carrierOf } from './core.ts';
import { planCancel, type Shipment } from './domain.ts';
import { announce, shipmentsCancelled } from './events.ts';
import { claimOrder, setOrderState } from './store-orders.ts';
import * as shipments from './store-shipments.ts';
import { addTimeline } from './store-tracking.ts';

type CancelRequested = EventPayload<'shipment.cancel-requested.v1'>;

/**
 * shipment.cancel-requested.v1 → void every label of the order → shipment.cancelled.v1. Only
 * before pickup (domain.planCancel): once a parcel has left, nothing is cancelled and nothing is
 * emitted; the refusal is written on each shipment's timeline for staff to see.
 */
export async function cancelShipments(core: Core, tx: Queryable, cmd: CancelRequested): Promise<void> {
  const now = core.clock();
  const { created, order } = await claimOrder(
    tx,
    { orderId: cmd.orderId, customerId: null, state: 'cancelled', reason: cmd.reason },
    now,
  );
  // Nothing was ever shipped (or creation failed): cancelled already. The row also makes a
  // create-request arriving late answer creation-failed instead of buying labels.
  if (created || order.state !== 'created') return void (await shipmentsCancelled(core.outbox, tx, cmd.orderId));

  const list = await shipments.shipmentsOfOrder(tx, cmd.orderId, { kind: 'outbound', lock: true });
  const plan = planCancel(list);
  if (plan.refused) return refuse(core, tx, list, plan.refused, now);

  for (const s of list.filter((x) => plan.cancel.includes(x.id))) {
    try {
      await carrierOf(core, s.carrier).cancel(s.trackingNumber);
    } catch (err) {
      if (!(err instanceof CarrierRefused)) throw err;
      // Picked up a moment ago, before its webhook reached us. The parcels voided so far stay
      // voided (a carrier cannot un-void); the rest ship, and the order is not cancelled.
      return refuse(core, tx, [s], err.reason, now);
    }
    await shipments.setStatus(tx, s.id, 'cancelled', now);
    const detail = `Cancelled: ${cmd.reason}`.slice(0, 500);
    await addTimeline(tx, s.id, { status: 'cancelled', at: now, detail, source: 'fulfillment', applied: true }, now);
    await announce(core.outbox, tx, s, 'cancelled', now, detail);
  }
  await setOrderState(tx, cmd.orderId, 'cancelled', cmd.reason, now);
  await shipmentsCancelled(core.outbox, tx, cmd.orderId);
}

async function refuse(core: Core, tx: Queryable, list: readonly Shipment[], why: string, now: Date) {
  for (const s of list.filter((x) => x.status !== 'cancelled')) {
    const detail = `Cancel refused: ${why}`.slice(0, 500);
    await addTimeline(tx, s.id, { status: 'cancelled', at: now, detail, source: 'fulfillment', applied: false }, now);
  }
  core.log.warn({ orderId: list[0]?.orderId, reason: why }, 'shipment cancel refused');
}
