import type { Clock, IdFactory } from '@storefront/contracts';
import type { Db, Faults, Logger, Outbox } from '@storefront/kit';
import type { Carrier } from './carrier.ts';

/** What the handlers need, passed in (main.ts and the tests build it). */
export interface Core {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
  readonly faults: Faults;
  /** Every adapter by name: webhooks and cancellations go to the carrier a shipment was labelled with. */
  readonly carriers: ReadonlyMap<string, Carrier>;
  /** The carrier new shipments and returns are labelled with. */
  readonly carrier: Carrier;
}

export function carrierOf(core: Core, name: string): Carrier {
  const carrier = core.carriers.get(name);
  if (!carrier) throw new Error(`carrier ${name} is not configured in this deployment`);
  return carrier;
}
