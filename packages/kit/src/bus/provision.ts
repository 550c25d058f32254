import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { streamName } from './names.ts';

/**
 * Dedupe must cover the relay's whole retry horizon: a PubAck lost in a timeout is retried with
 * the same Nats-Msg-Id, and only inside this window does the stream drop the second copy.
 * Beyond it the consumers' inbox is the second line of defence.
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** The stream is transport, not history (the outbox is the truth); a week covers redrive and new consumers. */
export const STREAM_MAX_AGE_MS = 7 * 24 * 3_600_000;

/**
 * Creates the installation's event stream or brings its settings up to date; safe to run on every
 * start of every replica of every service. It updates only what differs, and touches the replica
 * count only when asked, so a service booting with defaults never rescales a stream the operator
 * provisioned with three replicas.
 */
export async function ensureStream(jsm: JetStreamManager, prefix: string, replicas?: number): Promise<string> {
  const name = streamName(prefix);
  const wanted = {
    subjects: [`${prefix}.>`],
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(STREAM_MAX_AGE_MS),
    discard: DiscardPolicy.Old,
    ...(replicas ? { num_replicas: replicas } : {}),
  };
  let current: Record<string, unknown>;
  try {
    current = (await jsm.streams.info(name)).config;
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    try {
      await jsm.streams.add({ name, storage: StorageType.File, retention: RetentionPolicy.Limits, ...wanted });
      return name;
    } catch (addErr) {
      // Another replica created it between our info and add.
      if (!/already in use/i.test((addErr as Error).message)) throw addErr;
      current = (await jsm.streams.info(name)).config;
    }
  }
  if (differs(current, wanted)) await jsm.streams.update(name, wanted);
  return name;
}

export interface ConsumerSettings {
  readonly durable: string;
  readonly filter: string;
  readonly maxDeliver: number;
  readonly backoffMs: readonly number[];
  readonly maxAckPending: number;
}

/**
 * Durable pull consumer with explicit acks. The server takes AckWait from the first BackOff entry,
 * so a handler slower than that gets a duplicate unless the message is kept alive with
 * `working()` (the consumer loop does). nats-server 2.9 accepts a new filter_subject on update.
 */
export async function ensureConsumer(jsm: JetStreamManager, stream: string, c: ConsumerSettings): Promise<void> {
  const wanted = {
    filter_subject: c.filter,
    max_deliver: c.maxDeliver,
    backoff: c.backoffMs.map((ms) => nanos(ms)),
    ack_wait: nanos(c.backoffMs[0] ?? 30_000),
    max_ack_pending: c.maxAckPending,
  };
  let current: Record<string, unknown>;
  try {
    current = (await jsm.consumers.info(stream, c.durable)).config;
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    await jsm.consumers.add(stream, {
      durable_name: c.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...wanted,
    });
    return;
  }
  if (differs(current, wanted)) await jsm.consumers.update(stream, c.durable, wanted);
}

function differs(current: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  return Object.entries(wanted).some(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
}

function isNotFound(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}
