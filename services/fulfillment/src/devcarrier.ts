import type { Clock, IdFactory } from '@storefront/contracts';
import { BadRequest, type Db, type Faults, Unauthorized, ValidationFailed, z } from '@storefront/kit';
import type { Carrier, Label, OutboundParcel, ReturnParcel, TrackingReport, WebhookRequest } from './carrier.ts';
import { CarrierRefused } from './carrier.ts';
import { labelUrl, newTrackingNumber, place, refusal, type ServiceArea } from './devcarrier-rules.ts';
import * as store from './devcarrier-store.ts';
import { REPORTED_STATUSES, type ShipmentKind } from './domain.ts';
import { SIGNATURE_HEADER, verifySignature } from './webhook-signature.ts';

/**
 * The built-in development carrier. It keeps its side (parcels, a step scheduler) in our schema
 * but behaves like a remote carrier: it answers on its own connection, never in the caller's
 * transaction, and it reports progress only through signed webhooks (devcarrier-runner.ts).
 */
export interface DevcarrierOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly faults: Faults;
  readonly area: ServiceArea;
  /** Time between two steps of a parcel (label_created → picked_up → …). */
  readonly stepMs: number;
  /** Secrets webhooks are verified with; the first one signs (devcarrier-runner.ts). */
  readonly secrets: readonly string[];
}

/** The webhook body the dev carrier posts. */
export const DevcarrierEvent = z.object({
  id: z.string().min(1).max(100),
  type: z.literal('tracking.updated'),
  trackingNumber: z.string().min(1).max(100),
  status: z.enum(REPORTED_STATUSES),
  occurredAt: z.iso.datetime({ offset: true }),
  detail: z.string().max(500).optional(),
});
export type DevcarrierEvent = z.infer<typeof DevcarrierEvent>;

export function createDevcarrier(o: DevcarrierOptions): Carrier {
  async function label(
    reference: string,
    kind: ShipmentKind,
    route: { origin: string; destination: string; to: string },
  ): Promise<Label> {
    await o.faults.handler('devcarrier.create-label');
    return o.db.tx(async (tx) => {
      const now = o.clock();
      const trackingNumber = newTrackingNumber();
      const created = await store.insertParcel(
        tx,
        {
          reference,
          trackingNumber,
          kind,
          status: 'label_created',
          origin: route.origin,
          destination: route.destination,
          labelUrl: labelUrl({ trackingNumber, kind, from: route.origin, to: route.to }),
        },
        now,
      );
      // Same reference, same label: a retried command must not buy a second one.
      const parcel = created ?? (await store.liveParcelByReference(tx, reference));
      if (!parcel) throw new Error(`devcarrier lost the parcel for ${reference}`);
      if (created) {
        const dueAt = new Date(now.getTime() + o.stepMs);
        await store.scheduleJob(tx, { trackingNumber, status: 'picked_up', eventId: o.newId(), dueAt }, now);
      }
      return { trackingNumber: parcel.trackingNumber, labelUrl: parcel.labelUrl };
    });
  }

  return {
    name: store.DEVCARRIER,

    async createLabel(p: OutboundParcel) {
      const no = refusal(p.to, o.area);
      if (no) throw new CarrierRefused(no);
      const to = `${p.to.name}, ${p.to.postalCode} ${p.to.city} ${p.to.country}`;
      return label(p.reference, 'outbound', { origin: p.fromLocation, destination: place(p.to), to });
    },

    async createReturnLabel(p: ReturnParcel) {
      const no = refusal(p.from, o.area);
      if (no) throw new CarrierRefused(no);
      return label(p.reference, 'return', { origin: place(p.from), destination: p.toLocation, to: p.toLocation });
    },

    async cancel(trackingNumber: string) {
      await o.db.tx(async (tx) => {
        const parcel = await store.lockParcel(tx, trackingNumber);
        if (!parcel) throw new CarrierRefused(`devcarrier has no parcel ${trackingNumber}`);
        if (parcel.status === 'cancelled') return;
        if (parcel.status !== 'label_created') throw new CarrierRefused(`parcel ${trackingNumber} is ${parcel.status}`);
        // Its pending step stays; the runner drops it when it finds the parcel cancelled.
        await store.setParcelStatus(tx, trackingNumber, 'cancelled', o.clock());
      });
    },

    verifyWebhook(request: WebhookRequest, now: Date): TrackingReport {
      const verdict = verifySignature(o.secrets, request.body, request.header(SIGNATURE_HEADER), now);
      if (!verdict.ok) throw new Unauthorized(`webhook refused: ${verdict.reason}`);
      let json: unknown;
      try {
        json = JSON.parse(request.body);
      } catch {
        throw new BadRequest('webhook body is not JSON');
      }
      const parsed = DevcarrierEvent.safeParse(json);
      if (!parsed.success) {
        const errors = parsed.error.issues
          .slice(0, 20)
          .map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message }));
        throw new ValidationFailed('webhook body does not match the devcarrier event', errors);
      }
      const e = parsed.data;
      return {
        eventId: e.id,
        trackingNumber: e.trackingNumber,
        status: e.status,
        at: new Date(e.occurredAt),
        detail: e.detail,
      };
    },
  };
}
