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

/** Creates the installation's event stream or brings its settings up to date; safe to run on every start. */
export async function ensureStream(jsm: JetStreamManager, prefix: string, replicas = 1): Promise<string> {
  const name = streamName(prefix);
  const settings = {
    subjects: [`${prefix}.>`],
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(STREAM_MAX_AGE_MS),
    discard: DiscardPolicy.Old,
    num_replicas: replicas,
  };
  try {
    await jsm.streams.info(name);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    try {
      await jsm.streams.add({ name, storage: StorageType.File, retention: RetentionPolicy.Limits, ...settings });
      return name;
    } catch (addErr) {
      // Another replica created it between our info and add; fall through to update.
      if (!/already in use/i.test((addErr as Error).message)) throw addErr;
    }
  }
  await jsm.streams.update(name, settings);
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
 * so a handler slower than that gets a duplicate unless it calls `working()` (handle-message does).
 */
export async function ensureConsumer(jsm: JetStreamManager, stream: string, c: ConsumerSettings): Promise<void> {
  const settings = {
    filter_subject: c.filter,
    max_deliver: c.maxDeliver,
    backoff: c.backoffMs.map((ms) => nanos(ms)),
    ack_wait: nanos(c.backoffMs[0] ?? 30_000),
    max_ack_pending: c.maxAckPending,
  };
  try {
    await jsm.consumers.info(stream, c.durable);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    await jsm.consumers.add(stream, {
      durable_name: c.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...settings,
    });
    return;
  }
  await jsm.consumers.update(stream, c.durable, settings);
}

function isNotFound(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}
