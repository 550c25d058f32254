import type { EventEnvelope } from '@storefront/contracts';
import type { Bus, Outbox, Queryable } from '@storefront/kit';
import { cancelShipments } from './commands-cancel.ts';
import { createShipments } from './commands-create.ts';
import { createReturn } from './commands-return.ts';
import type { Core } from './core.ts';
import type { ReportedStatus, Shipment } from './domain.ts';

/**
 * What fulfillment publishes (always through the outbox, in the transaction of the change) and
 * the saga commands it consumes (inbox-deduplicated, in stream order on one consumer).
 */

export function shipmentCreated(outbox: Outbox, tx: Queryable, orderId: string, shipments: readonly Shipment[]) {
  return outbox.add(tx, 'shipment.created.v1', {
    orderId,
    shipments: shipments.map((s) => ({
      shipmentId: s.id,
      location: s.location,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
    })),
  });
}

export function creationFailed(outbox: Outbox, tx: Queryable, orderId: string, reason: string) {
  return outbox.add(tx, 'shipment.creation-failed.v1', { orderId, reason: reason.slice(0, 500) });
}

export function shipmentsCancelled(outbox: Outbox, tx: Queryable, orderId: string) {
  return outbox.add(tx, 'shipment.cancelled.v1', { orderId });
}

/**
 * A shipment moved (or hit an exception). Outbound parcels announce every move and their
 * delivery; a return parcel announces only its arrival (return-received), since orders tracks
 * returns by return id, not by shipment.
 */
export async function announce(
  outbox: Outbox,
  tx: Queryable,
  s: Shipment,
  status: ReportedStatus,
  at: Date,
  detail: string | null,
) {
  if (s.kind === 'return') {
    if (status === 'delivered' && s.returnId) {
      await outbox.add(tx, 'shipment.return-received.v1', {
        orderId: s.orderId,
        returnId: s.returnId,
        at: at.toISOString(),
      });
    }
    return;
  }
  await outbox.add(tx, 'shipment.status-changed.v1', {
    orderId: s.orderId,
    shipmentId: s.id,
    status,
    at: at.toISOString(),
    ...(detail ? { detail: detail.slice(0, 500) } : {}),
  });
  if (status === 'delivered') {
    await outbox.add(tx, 'shipment.delivered.v1', { orderId: s.orderId, shipmentId: s.id, at: at.toISOString() });
  }
}

export function returnLabelCreated(outbox: Outbox, tx: Queryable, s: Shipment) {
  if (!s.returnId) throw new Error(`shipment ${s.id} is not a return`);
  return outbox.add(tx, 'shipment.return-label-created.v1', {
    orderId: s.orderId,
    returnId: s.returnId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    labelUrl: s.labelUrl,
  });
}

export const COMMANDS = [
  'shipment.create-requested.v1',
  'shipment.cancel-requested.v1',
  'shipment.return-requested.v1',
] as const;

type CommandSubject = (typeof COMMANDS)[number];
/** The envelope as a union discriminated by subject, so each case sees its own payload type. */
type Command = { [S in CommandSubject]: EventEnvelope<S> }[CommandSubject];

/** One consumer for the three commands, so a cancel sent after a create is applied after it. */
export function subscribeCommands(bus: Bus, core: Core): void {
  bus.subscribe('commands', COMMANDS, async (event, ctx) => {
    const c = { ...core, log: ctx.log };
    const command = event as Command;
    switch (command.subject) {
      case 'shipment.create-requested.v1':
        return createShipments(c, ctx.tx, command.payload);
      case 'shipment.cancel-requested.v1':
        return cancelShipments(c, ctx.tx, command.payload);
      case 'shipment.return-requested.v1':
        return createReturn(c, ctx.tx, command.payload);
    }
  });
}
