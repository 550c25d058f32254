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

  /** Takes the due steps and moves their parcels, a statement per kind of change rather than per step. */
  async function take(): Promise<Taken[]> {
    return o.db.tx(async (tx) => {
      const now = o.clock();
      const jobs = await store.takeDueJobs(tx, now, batch);
      if (jobs.length === 0) return [];
      const parcels = await store.lockParcels(
        tx,
        jobs.map((j) => j.trackingNumber),
      );
      const taken: Taken[] = [];
      const gone: number[] = [];
      const moves: { trackingNumber: string; status: string }[] = [];
      for (const job of jobs) {
        const parcel = parcels.get(job.trackingNumber);
        if (!parcel || parcel.status === 'cancelled') {
          gone.push(job.id);
          continue;
        }
        // The parcel moves when its step is due, whether or not our webhook gets through.
        const occurredAt = job.occurredAt ?? now;
        if (parcel.status !== job.status) moves.push({ trackingNumber: parcel.trackingNumber, status: job.status });
        const detail = stepDetail(job.status as DevcarrierEvent['status'], parcel.origin, parcel.destination);
        taken.push({ ...job, occurredAt, kind: parcel.kind, detail });
      }
      await store.deleteJobs(tx, gone);
      await store.setParcelStatuses(tx, moves, now);
      await store.leaseJobs(tx, taken, new Date(now.getTime() + (o.leaseMs ?? 30_000)));
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

  /**
   * Records how a batch's posts went, in one transaction: the delivered steps are deleted and their
   * parcels' next steps scheduled in one statement each; a failed one is retried with backoff.
   */
  async function settle(results: readonly { job: Taken; error: Error | undefined }[]): Promise<void> {
    if (results.length === 0) return;
    await o.db.tx(async (tx) => {
      const now = o.clock();
      const done = results.filter((r) => !r.error).map((r) => r.job);
      await store.deleteJobs(
        tx,
        done.map((j) => j.id),
      );
      const dueAt = new Date(now.getTime() + o.stepMs);
      await store.scheduleJobs(
        tx,
        done.flatMap((j) => {
          const next = nextStep(j.kind, j.status);
          return next ? [{ trackingNumber: j.trackingNumber, status: next, eventId: o.newId(), dueAt }] : [];
        }),
        now,
      );
      for (const { job, error } of results) {
        if (!error) continue;
        const attempts = job.attempts + 1;
        const parked = attempts >= o.maxAttempts;
        const due = parked ? 'never' : new Date(now.getTime() + retryDelay(attempts, o.retryBaseMs));
        await store.retryJob(tx, job.id, attempts, error.message, due);
        const fields = { trackingNumber: job.trackingNumber, status: job.status, attempts, error: error.message };
        if (parked) log.error(fields, 'devcarrier webhook undeliverable; step parked');
        else log.warn(fields, 'devcarrier webhook failed; will retry');
      }
    });
  }

  async function run(job: Taken): Promise<{ job: Taken; error: Error | undefined }> {
    try {
      await post(job);
      // Chaos: delivered but not yet recorded; the step is posted again and our dedupe absorbs it.
      o.faults.point('devcarrier.webhook-delivered');
      return { job, error: undefined };
    } catch (err) {
      return { job, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  async function runOnce(): Promise<number> {
    const jobs = await take();
    // One step per parcel exists at a time, so these are different parcels and may go together.
    const results = await Promise.all(jobs.map(run));
    try {
      await settle(results);
    } catch (err) {
      // The steps stay leased: they are posted again when the lease ends, and our dedupe absorbs that.
      log.error({ err }, 'devcarrier steps could not be recorded');
    }
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
