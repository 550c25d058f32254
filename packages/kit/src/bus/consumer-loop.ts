import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Subscription } from './subscription.ts';

export interface ConsumerLoop {
  /** Drops the current pull and starts a fresh one (NATS reconnected, heartbeats missed). */
  restart(reason: string): void;
  /** Stops fetching and waits (at most `graceMs`) for the handlers in flight. */
  stop(graceMs: number): Promise<void>;
}

export interface LoopDeps {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly log: Logger;
  /** Re-provisions stream and consumer: after a broker restart with empty storage they are gone. */
  readonly ensure: () => Promise<void>;
  readonly handle: (m: JsMsg) => Promise<void>;
  /** While NATS is away, API requests would only hang until their timeout; wait for restart(). */
  readonly connected: () => boolean;
}

/**
 * Runs `consume()` for one durable consumer, forever: when the pull dies (missed heartbeats,
 * consumer deleted, reconnect) it provisions again and starts a new one. At most
 * `sub.concurrency` handlers run at once; the client buffers only a few more, because a buffered
 * message's ack wait is already running.
 */
export function startConsumerLoop(d: LoopDeps, sub: Subscription): ConsumerLoop {
  const inflight = new Set<Promise<void>>();
  let stopping = false;
  let current: ConsumerMessages | undefined;
  let wake: (() => void) | undefined;
  const log = d.log.child({ consumer: sub.durable });
  const keepAliveMs = Math.max(20, Math.min(...sub.backoffMs) / 2);

  async function watch(messages: ConsumerMessages) {
    for await (const s of messages.status()) {
      const lost =
        (s.type === 'heartbeats_missed' && s.count >= 2) ||
        s.type === 'consumer_deleted' ||
        s.type === 'consumer_not_found' ||
        s.type === 'stream_not_found';
      if (lost && current === messages) {
        log.warn({ status: s.type }, 'event consumer lost its pull; recreating it');
        messages.stop();
      }
    }
  }

  async function consumeOnce() {
    await d.ensure();
    const consumer = await d.js.consumers.get(d.stream, sub.durable);
    // Refill when a quarter of the pull is left (the client's default is three quarters), so a
    // busy consumer asks the server for messages in batches of 3/4 of the buffer, not 1/4.
    const messages = await consumer.consume({
      max_messages: sub.concurrency * 2,
      threshold_messages: Math.max(1, Math.floor(sub.concurrency / 2)),
    });
    current = messages;
    void watch(messages).catch(() => {});
    for await (const m of messages) {
      if (stopping) {
        // Buffered but not started: hand it straight back so another replica takes it now.
        quietly(() => m.nak());
        continue;
      }
      // The server's ack wait is the first backoff entry (short): keep the message ours while its
      // handler works, so a slow handler is not handed to another replica halfway through.
      // (The few buffered behind it may time out and come back; the inbox absorbs that.)
      const keepAlive = setInterval(() => quietly(() => m.working()), keepAliveMs);
      const p = d
        .handle(m)
        // handle() settles every outcome itself; this only keeps a bug (or an ack on a closed
        // connection) from becoming an unhandled rejection that kills the process.
        .catch((err) => log.error({ err: (err as Error).message, seq: m.seq }, 'event handling crashed'))
        .finally(() => {
          clearInterval(keepAlive);
          inflight.delete(p);
        });
      inflight.add(p);
      if (inflight.size >= sub.concurrency) await Promise.race(inflight);
    }
  }

  let delay = 100;
  async function loop() {
    while (!stopping) {
      if (!d.connected()) {
        await pause(30_000);
        continue;
      }
      try {
        await consumeOnce();
        delay = 100;
      } catch (err) {
        if (stopping) break;
        log.warn({ err: (err as Error).message }, 'event consumer failed; retrying');
        delay = Math.min(delay * 2, 5_000);
      }
      current = undefined;
      if (!stopping) await pause(delay);
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = finish;
    });
  }

  const done = loop();
  return {
    restart(reason) {
      if (stopping) return;
      log.info({ reason }, 'restarting event consumer');
      // Either drop the live pull, or cut short the backoff sleep left from the outage.
      delay = 100;
      if (current) current.stop();
      else wake?.();
    },
    async stop(graceMs) {
      stopping = true;
      current?.stop();
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => {
        timer = setTimeout(r, graceMs);
      });
      await Promise.race([Promise.all([done, ...inflight]).then(() => {}), grace]);
      clearTimeout(timer);
      if (inflight.size)
        log.warn({ inflight: inflight.size }, 'handlers still running at shutdown; they will be redelivered');
    },
  };
}

/** Acks on a connection that just closed throw; from a timer that would crash the process. */
function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // The message will be redelivered; nothing to do here.
  }
}
