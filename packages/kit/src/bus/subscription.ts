import type { Subject } from '@storefront/contracts';
import { isSubject } from '@storefront/contracts';
import { durableName, filterSubject } from './names.ts';
import type { EventHandler, SubscribeOptions } from './types.ts';

/** A subscription with every default filled in and checked, as the consumer loop needs it. */
export interface Subscription {
  readonly durable: string;
  readonly filter: string;
  readonly subjects: ReadonlySet<string>;
  readonly handler: EventHandler<Subject>;
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly inbox: boolean;
  readonly concurrency: number;
  readonly maxAckPending: number;
}

export const DEFAULT_BACKOFF_MS = [1_000, 5_000, 15_000, 30_000] as const;
/**
 * Unacked messages include those waiting out a retry delay. A bound well under the server's
 * default of 1000 makes a failing consumer pause (and show up as lag) instead of hoarding.
 */
export const DEFAULT_MAX_ACK_PENDING = 256;

export function makeSubscription(
  service: string,
  prefix: string,
  name: string,
  subjects: readonly string[],
  handler: EventHandler<Subject>,
  opts: SubscribeOptions = {},
): Subscription {
  const durable = durableName(service, name);
  if (subjects.length === 0) throw new Error(`subscription ${durable} names no subject`);
  for (const s of subjects) if (!isSubject(s)) throw new Error(`subscription ${durable}: ${s} is not in the catalog`);
  const maxDeliver = opts.maxDeliver ?? 5;
  const backoffMs = [...(opts.backoffMs ?? DEFAULT_BACKOFF_MS)];
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) throw new Error(`${durable}: maxDeliver must be ≥ 1`);
  if (backoffMs.length === 0 || backoffMs.some((ms) => !Number.isInteger(ms) || ms < 10)) {
    throw new Error(`${durable}: backoffMs needs at least one whole number of ms ≥ 10`);
  }
  // nats-server refuses a BackOff list as long as max_deliver: the last delivery has no redelivery.
  if (backoffMs.length >= maxDeliver) {
    throw new Error(`${durable}: backoffMs has ${backoffMs.length} entries; it must be shorter than maxDeliver`);
  }
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error(`${durable}: concurrency must be 1..256`);
  }
  const maxAckPending = opts.maxAckPending ?? Math.max(DEFAULT_MAX_ACK_PENDING, concurrency * 4);
  return {
    durable,
    filter: filterSubject(prefix, subjects),
    subjects: new Set(subjects),
    handler,
    maxDeliver,
    backoffMs,
    inbox: opts.inbox ?? true,
    concurrency,
    maxAckPending,
  };
}

/** The delay before delivery `attempt + 1`, from the same list the server uses for ack timeouts. */
export function retryDelay(backoffMs: readonly number[], attempt: number): number {
  return backoffMs[Math.min(attempt, backoffMs.length) - 1] ?? backoffMs[0] ?? 1_000;
}
