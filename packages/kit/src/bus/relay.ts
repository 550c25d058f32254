import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import type { BusMetrics } from './bus-metrics.ts';
import { pruneOutbox, relayBatch } from './relay-batch.ts';

export interface RelayOptions {
  readonly db: Db;
  readonly js: JetStreamClient;
  readonly prefix: string;
  readonly log: Logger;
  readonly metrics: BusMetrics;
  readonly pollMs: number;
  readonly batchSize?: number;
  /**
   * A NOTIFY that arrives within this many ms of the last pass waits out the rest (default 5), so
   * a burst of commits is published in one pass (one transaction, one UPDATE) instead of one each.
   * An event after a quiet spell goes at once; under load it adds at most this to each hop.
   */
  readonly coalesceMs?: number;
  /** False while NATS is disconnected: fail fast instead of waiting for a publish timeout. */
  readonly connected: () => boolean;
  /** Called after a failed publish, e.g. to re-provision a stream lost with the broker's storage. */
  readonly onFailure?: () => void;
}

export interface Relay {
  start(): void;
  /**
   * Wakes the loop now (NOTIFY arrived). While publishing is failing a NOTIFY does not cut the
   * backoff short, or every write would hammer a broken broker; `retry` (NATS reconnected) does.
   */
  wake(opts?: { retry?: boolean }): void;
  /** Publishes until nothing is pending (or a publish fails); returns how many were sent. */
  drain(): Promise<number>;
  /** Finishes the batch in progress, then stops. */
  stop(): Promise<void>;
}

const MIN_BACKOFF_MS = 200;
const PRUNE_EVERY_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 10_000;

/**
 * The outbox relay: woken by NOTIFY, polling every `pollMs` as a fallback (a missed NOTIFY, rows
 * left by a crashed replica, a relay that just lost the advisory lock). On failure it backs off
 * exponentially up to 10 s, well inside the stream's duplicate window.
 */
export function createRelay(o: RelayOptions): Relay {
  const batchSize = o.batchSize ?? 100;
  const coalesceMs = o.coalesceMs ?? 5;
  let lastPass = 0;
  let running = false;
  let stopped = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let backoff = 0;
  let lastPrune = 0;
  // One pass at a time per process, so drain() and the loop never compete for the advisory lock.
  let chain: Promise<unknown> = Promise.resolve();

  function pass(): Promise<{ sent: number; more: boolean; failed: boolean }> {
    const run = async () => {
      const client = await o.db.pool.connect();
      try {
        const r = await relayBatch(client, o.db.schema, o.js, o.prefix, batchSize, o.connected);
        if (r.sent) o.metrics.published.inc(r.sent);
        if (r.error) {
          o.metrics.publishErrors.inc();
          o.log.warn({ err: r.error.message, sent: r.sent }, 'outbox publish failed; will retry');
          o.onFailure?.();
        }
        return { sent: r.sent, more: r.more, failed: r.error !== undefined };
      } finally {
        client.release();
      }
    };
    const p = chain.then(run, run);
    chain = p.catch(() => {});
    return p;
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return settle();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    }).then(settle);
  }

  /** Woken right after a pass: let the burst that woke us gather for the rest of coalesceMs. */
  function settle(): Promise<void> {
    const left = lastPass + coalesceMs - Date.now();
    return left > 0 && !stopped ? new Promise((r) => setTimeout(r, left)) : Promise.resolve();
  }

  async function loop() {
    while (!stopped) {
      let wait = o.pollMs;
      try {
        lastPass = Date.now();
        const r = await pass();
        if (r.failed) {
          backoff = Math.min(Math.max(backoff * 2, MIN_BACKOFF_MS), MAX_BACKOFF_MS);
          wait = backoff;
        } else {
          backoff = 0;
          if (r.more) continue;
          if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
            lastPrune = Date.now();
            await pruneOutbox(o.db, o.db.schema);
          }
        }
      } catch (err) {
        // Database unreachable: the rows are safe where they are; try again later.
        o.log.warn({ err: (err as Error).message }, 'outbox relay pass failed');
        backoff = Math.min(Math.max(backoff * 2, MIN_BACKOFF_MS), MAX_BACKOFF_MS);
        wait = backoff;
      }
      if (!stopped) await sleep(wait);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    wake(opts) {
      if (opts?.retry) backoff = 0;
      else if (backoff > 0) return;
      if (wakeUp) wakeUp();
      else woken = true;
    },
    async drain() {
      let total = 0;
      for (;;) {
        const r = await pass();
        total += r.sent;
        if (!r.more || r.failed) return total;
      }
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loopDone;
      await chain;
    },
  };
}
