import type { Clock, IdFactory } from '@storefront/contracts';
import type { Db, Faults, Logger, Outbox } from '@storefront/kit';

/** How long each step may take and how often a silent step is asked again. */
export interface SagaTiming {
  readonly reserveTimeoutMs: number;
  /** Includes a 3-D Secure challenge the customer may take minutes over. */
  readonly authorizeTimeoutMs: number;
  readonly shipTimeoutMs: number;
  /** First re-drive delay; doubles per attempt up to 8×. */
  readonly retryMs: number;
  /** Refused staff cancels are given up after this many re-sends. */
  readonly maxCancelAttempts: number;
}

/** The stock hold outlives the payment step, so a hold never expires under a payment that will be captured. */
export function holdSeconds(t: SagaTiming): number {
  return Math.max(30, Math.ceil((t.reserveTimeoutMs + t.authorizeTimeoutMs) / 1000) + 120);
}

/** What the handlers need, passed in (main.ts and the tests build it). */
export interface Core {
  readonly db: Db;
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
  readonly faults: Faults;
  readonly timing: SagaTiming;
}
