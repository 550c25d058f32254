import { NotFound } from '@storefront/kit';
import type { TrackingReport } from './carrier.ts';
import type { Core } from './core.ts';
import { describe, type ShipmentStatus, trackingEffect } from './domain.ts';
import { announce } from './events.ts';
import * as shipments from './store-shipments.ts';
import { addTimeline, recordReceipt } from './store-tracking.ts';

export type ReportOutcome = 'applied' | 'recorded' | 'duplicate';

/**
 * Applies one verified carrier report in one transaction: dedupe on the carrier's event id, put
 * it on the timeline, move the shipment if it is news (domain.trackingEffect), and emit what
 * changed. An unknown tracking number is a 404 and nothing is kept, so the carrier's retry can
 * still apply it once the shipment exists.
 */
export async function applyReport(core: Core, carrier: string, report: TrackingReport): Promise<ReportOutcome> {
  await core.faults.handler('fulfillment.webhook');
  return core.db.tx(async (tx) => {
    const now = core.clock();
    if (!(await recordReceipt(tx, carrier, report.eventId, now))) return 'duplicate';
    const s = await shipments.lockByTracking(tx, carrier, report.trackingNumber);
    if (!s) throw new NotFound(`no shipment with ${carrier} tracking number ${report.trackingNumber}`);
    const effect = trackingEffect(s.status, report.status);
    const detail = report.detail ?? describe(report.status, s.kind, s.location);
    await addTimeline(
      tx,
      s.id,
      {
        status: report.status,
        at: report.at,
        detail: effect.note ? `${detail} (${effect.note})` : detail,
        source: 'carrier',
        applied: effect.move,
      },
      now,
    );
    if (effect.move) await shipments.setStatus(tx, s.id, report.status as ShipmentStatus, now);
    if (effect.emit) await announce(core.outbox, tx, s, report.status, report.at, detail);
    return effect.move ? 'applied' : 'recorded';
  });
}
