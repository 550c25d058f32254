import type { Clock } from '@storefront/contracts';
import type { Db, Logger } from '@storefront/kit';
import { SANDBOX_SIGNATURE_HEADER, signPayload } from './webhook-signature.ts';

/**
 * Delivers the sandbox's queued webhooks to our own `POST /webhooks/sandbox`, signed at send time,
 * oldest first, and retried with exponential backoff on anything but a 2xx — the receiver answers
 * 503 for an object whose creating transaction has not committed yet, and that retry is what
 * settles it. Gives up after `maxAttempts`, as Stripe does after three days.
 */
export type Send = (body: string, headers: Record<string, string>) => Promise<number>;

export interface DelivererOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly secret: string;
  readonly send: Send;
  readonly log: Logger;
  /** Poll interval of the background loop (default 250 ms). */
  readonly intervalMs?: number;
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt up to a minute (default 500 ms). */
  readonly baseDelayMs?: number;
  /** Webhooks sent per transaction (default 20). */
  readonly batchSize?: number;
}

export interface Deliverer {
  /** Delivers what is due now; returns how many were delivered. */
  deliverNow(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

interface Due {
  id: string;
  body: unknown;
  attempts: number;
}

export function createDeliverer(o: DelivererOptions): Deliverer {
  const maxAttempts = o.maxAttempts ?? 20;
  const base = o.baseDelayMs ?? 500;
  const batchSize = o.batchSize ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  /**
   * One transaction per batch: the due rows, oldest first, stay locked while they are sent one
   * after the other (two replicas never send the same callback at once), and the delivered ones
   * are marked in one statement. Returns how many were delivered and whether the batch was full.
   */
  async function deliverBatch(): Promise<{ delivered: number; full: boolean }> {
    return o.db.tx(async (tx) => {
      const now = o.clock();
      const { rows } = await tx.query<Due>(
        `SELECT id, body, attempts FROM sandbox_webhooks
         WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1
         ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, batchSize],
      );
      const delivered: Due[] = [];
      for (const due of rows) {
        const error = await send(due, now);
        if (!error) {
          delivered.push(due);
          continue;
        }
        const attempts = due.attempts + 1;
        const next = new Date(now.getTime() + Math.min(base * 2 ** (attempts - 1), 60_000));
        const giveUp = attempts >= maxAttempts;
        if (giveUp) o.log.error({ webhook: due.id, error }, 'sandbox webhook undeliverable; giving up');
        await tx.query(
          `UPDATE sandbox_webhooks SET attempts = $2, last_error = $3, next_attempt_at = $4,
             gave_up_at = CASE WHEN $5 THEN $6::timestamptz END WHERE id = $1`,
          [due.id, attempts, error, next, giveUp, now],
        );
      }
      if (delivered.length) {
        await tx.query(
          `UPDATE sandbox_webhooks w SET delivered_at = $3, attempts = d.attempts + 1
             FROM unnest($1::text[], $2::int[]) AS d(id, attempts) WHERE w.id = d.id`,
          [delivered.map((d) => d.id), delivered.map((d) => d.attempts), now],
        );
      }
      return { delivered: delivered.length, full: rows.length === batchSize };
    });
  }

  /** Undefined when the receiver took it (2xx), else why not. */
  async function send(due: Due, now: Date): Promise<string | undefined> {
    const body = JSON.stringify(due.body);
    const headers = {
      'content-type': 'application/json',
      [SANDBOX_SIGNATURE_HEADER]: signPayload(body, o.secret, Math.floor(now.getTime() / 1000)),
    };
    try {
      const status = await o.send(body, headers);
      return status < 200 || status > 299 ? `answered ${status}` : undefined;
    } catch (err) {
      return (err as Error).message.slice(0, 500);
    }
  }

  async function drain(): Promise<number> {
    let delivered = 0;
    // Bounded: a receiver that keeps failing must not spin this loop.
    for (let i = 0; i < 100; i++) {
      const r = await deliverBatch();
      delivered += r.delivered;
      if (!r.full) break;
    }
    return delivered;
  }

  const deliverNow = () => {
    running ??= drain().finally(() => {
      running = undefined;
    });
    return running;
  };

  const tick = async () => {
    if (stopped) return;
    await deliverNow().catch((err) => o.log.warn({ err: (err as Error).message }, 'sandbox webhook delivery failed'));
    if (!stopped) timer = setTimeout(tick, o.intervalMs ?? 250);
  };

  return {
    deliverNow,
    start() {
      stopped = false;
      timer ??= setTimeout(tick, o.intervalMs ?? 250);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => {});
    },
  };
}
