import type { Clock, IdFactory } from '@storefront/contracts';
import type { Db, Faults, Logger } from '@storefront/kit';
import type { DevcarrierEvent } from './devcarrier.ts';
import { nextStep, retryDelay, stepDetail } from './devcarrier-rules.ts';
import * as store from './devcarrier-store.ts';
import { SIGNATURE_HEADER, signature } from './webhook-signature.ts';

/**
 * The dev carrier's clock: takes due steps from `carrier_jobs` (FOR UPDATE SKIP LOCKED, so
 * replicas share the work), moves the parcel, and posts a signed webhook to our own endpoint the
 * way a real carrier would. A failed post is retried with exponential backoff; only a delivered
 * webhook schedules the parcel's next step, so each parcel's reports arrive in order.
 */
export interface RunnerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly newId: IdFactory;
  readonly log: Logger;
  readonly faults: Faults;
  /** Where webhooks go: our own `POST /webhooks/carriers/devcarrier`. */
  readonly webhookUrl: string;
  readonly secret: string;
  readonly stepMs: number;
  readonly pollMs: number;
  readonly retryBaseMs: number;
  /** Failed posts before a step is parked (due_at = infinity) with its last error. */
  readonly maxAttempts: number;
  readonly batch?: number;
  /** How long a taken step is held while its webhook is in flight. */
  readonly leaseMs?: number;
  readonly requestTimeoutMs?: number;
}

interface Taken extends store.Job {
  readonly occurredAt: Date;
  readonly kind: store.DevParcel['kind'];
  readonly detail: string;
}

export interface Runner {
  /** Runs every due step once; returns how many were taken. */
  runOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createDevcarrierRunner(o: RunnerOptions): Runner {
  const log = o.log.child({ component: 'devcarrier' });
  const batch = o.batch ?? 20;

  async function take(): Promise<Taken[]> {
    return o.db.tx(async (tx) => {
      const now = o.clock();
      const taken: Taken[] = [];
      for (const job of await store.takeDueJobs(tx, now, batch)) {
        const parcel = await store.lockParcel(tx, job.trackingNumber);
        if (!parcel || parcel.status === 'cancelled') {
          await store.deleteJob(tx, job.id);
          continue;
        }
        // The parcel moves when its step is due, whether or not our webhook gets through.
        const occurredAt = job.occurredAt ?? now;
        if (parcel.status !== job.status) await store.setParcelStatus(tx, parcel.trackingNumber, job.status, now);
        await store.leaseJob(tx, job.id, occurredAt, new Date(now.getTime() + (o.leaseMs ?? 30_000)));
        const detail = stepDetail(job.status as DevcarrierEvent['status'], parcel.origin, parcel.destination);
        taken.push({ ...job, occurredAt, kind: parcel.kind, detail });
      }
      return taken;
    });
  }

  async function post(job: Taken): Promise<void> {
    const event: DevcarrierEvent = {
      id: job.eventId,
      type: 'tracking.updated',
      trackingNumber: job.trackingNumber,
      status: job.status as DevcarrierEvent['status'],
      occurredAt: job.occurredAt.toISOString(),
      detail: job.detail,
    };
    const body = JSON.stringify(event);
    const t = Math.floor(o.clock().getTime() / 1000);
    const res = await fetch(o.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature(o.secret, body, t) },
      body,
      signal: AbortSignal.timeout(o.requestTimeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`webhook answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.body?.cancel().catch(() => {});
  }

  async function settle(job: Taken, error: Error | undefined): Promise<void> {
    await o.db.tx(async (tx) => {
      const now = o.clock();
      if (!error) {
        await store.deleteJob(tx, job.id);
        const next = nextStep(job.kind, job.status);
        if (next) {
          const dueAt = new Date(now.getTime() + o.stepMs);
          await store.scheduleJob(
            tx,
            { trackingNumber: job.trackingNumber, status: next, eventId: o.newId(), dueAt },
            now,
          );
        }
        return;
      }
      const attempts = job.attempts + 1;
      const parked = attempts >= o.maxAttempts;
      const dueAt = parked ? 'never' : new Date(now.getTime() + retryDelay(attempts, o.retryBaseMs));
      await store.retryJob(tx, job.id, attempts, error.message, dueAt);
      const fields = { trackingNumber: job.trackingNumber, status: job.status, attempts, error: error.message };
      if (parked) log.error(fields, 'devcarrier webhook undeliverable; step parked');
      else log.warn(fields, 'devcarrier webhook failed; will retry');
    });
  }

  async function run(job: Taken): Promise<void> {
    let error: Error | undefined;
    try {
      await post(job);
      // Chaos: delivered but not yet recorded; the step is posted again and our dedupe absorbs it.
      o.faults.point('devcarrier.webhook-delivered');
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    await settle(job, error);
  }

  async function runOnce(): Promise<number> {
    const jobs = await take();
    // One step per parcel exists at a time, so these are different parcels and may go together.
    await Promise.all(jobs.map((j) => run(j).catch((err) => log.error({ err }, 'devcarrier step failed'))));
    return jobs.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      while (!stopped && (await runOnce()) >= batch) {}
    } catch (err) {
      log.error({ err }, 'devcarrier tick failed; next tick retries');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    }, o.pollMs);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
