import type { Address } from '@storefront/contracts';
import type { Line, ReportedStatus } from './domain.ts';

/**
 * What fulfillment needs from a carrier (DHL, UPS, the built-in `devcarrier`). Each adapter
 * speaks its carrier's API and webhook format; the rest of the service sees only this.
 */
export interface Carrier {
  readonly name: string;
  /**
   * Buys a label. `reference` is an idempotency key: the same reference returns the same label,
   * so a retried command never pays twice. Throws CarrierRefused when the carrier will not take it.
   */
  createLabel(parcel: OutboundParcel): Promise<Label>;
  /** A label the customer prints to send goods back to one of our locations. */
  createReturnLabel(parcel: ReturnParcel): Promise<Label>;
  /** Voids a label. Throws CarrierRefused once the parcel has been picked up. */
  cancel(trackingNumber: string): Promise<void>;
  /**
   * Authenticates and parses one webhook call on its raw body (signatures are over bytes, not
   * over re-serialized JSON). Throws Unauthorized for a missing, forged or stale signature and a
   * 4xx DomainError for a signed body it cannot read.
   */
  verifyWebhook(request: WebhookRequest, now: Date): TrackingReport;
}

export interface OutboundParcel {
  readonly reference: string;
  readonly orderId: string;
  readonly fromLocation: string;
  readonly to: Address;
  readonly method: string;
  readonly lines: readonly Line[];
}

export interface ReturnParcel {
  readonly reference: string;
  readonly orderId: string;
  readonly from: Address;
  readonly toLocation: string;
  readonly lines: readonly Line[];
}

export interface Label {
  readonly trackingNumber: string;
  readonly labelUrl: string;
}

export interface WebhookRequest {
  readonly body: string;
  header(name: string): string | undefined;
}

export interface TrackingReport {
  /** The carrier's own id for this event: the dedupe key. */
  readonly eventId: string;
  readonly trackingNumber: string;
  readonly status: ReportedStatus;
  readonly at: Date;
  readonly detail?: string | undefined;
}

/** The carrier said no (an address it does not serve, a parcel already picked up); retrying will not help. */
export class CarrierRefused extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'CarrierRefused';
    this.reason = reason;
  }
}
