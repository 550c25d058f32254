import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { Db } from './pool.ts';
import { quoteIdent } from './pool.ts';
import { DAY_MS, EVENT_DEDUPE_HORIZON_MS, type RetentionConfig, WEBHOOK_RETRY_HORIZON_MS } from './retention-config.ts';

/** A table whose rows may go once `column` (timestamptz, indexed) is older than `keepMs`. */
export interface RetentionTarget {
  readonly table: string;
  readonly column: string;
  readonly keepMs: number;
  /** The longest time a row can still be needed (a redelivery, a webhook retry); keepMs must exceed it. */
  readonly horizonMs: number;
}

export interface RetentionOptions {
  readonly db: Db;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly targets: readonly RetentionTarget[];
  readonly intervalMs: number;
  readonly batchSize: number;
  /** Pause between two DELETEs so a large backlog does not monopolise the disk (default 50 ms). */
  readonly pauseMs?: number;
  /** Delay of the first run (default: a random part of a minute, so replicas and services spread out). */
  readonly firstRunMs?: number;
  /** Tests replace the pause to hold a run half-way. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export type RunResult =
  | { readonly ran: false }
  | { readonly ran: true; readonly pruned: Record<string, number>; readonly batches: number };

export interface Retention {
  /** One pass over every target, if no other replica is running one (the advisory lock). */
  runOnce(): Promise<RunResult>;
  start(): void;
  stop(): Promise<void>;
}

/** The advisory lock key one replica holds while pruning a schema. */
export const retentionLockKey = (schema: string) => `kit.retention:${schema}`;

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Prunes old dedupe rows in small DELETEs (each its own statement, so row locks and WAL stay
 * small), on one replica at a time: a session advisory lock is tried, and a replica that does not
 * get it skips the run. The lock dies with its connection, so a crashed replica blocks nobody.
 */
export function createRetention(o: RetentionOptions): Retention {
  for (const t of o.targets) {
    quoteIdent(t.table);
    quoteIdent(t.column);
    if (!(t.keepMs > t.horizonMs)) {
      throw new Error(
        `retention of ${t.table} (${t.keepMs / DAY_MS} d) must be longer than the ${t.horizonMs / DAY_MS} d it protects`,
      );
    }
  }
  const schema = quoteIdent(o.db.schema);
  const pruned = o.metrics.counter('retention_rows_pruned_total', 'Rows deleted by retention, by table', ['table']);
  const runs = o.metrics.counter('retention_runs_total', 'Retention runs by result (ok, skipped, failed)', ['result']);
  // Every result exists from the start at 0, so a replica's first failure is an increase() like any other.
  for (const result of ['ok', 'skipped', 'failed']) runs.inc({ result }, 0);
  const lastRun = o.metrics.gauge(
    'retention_last_run_timestamp_seconds',
    'Unix time of the last retention run this replica completed',
  );
  const sleep = o.sleep ?? sleepFor;
  const pauseMs = o.pauseMs ?? 50;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<RunResult> {
    const client = await o.db.pool.connect();
    let broken: Error | undefined;
    try {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
        retentionLockKey(o.db.schema),
      ]);
      if (!lock.rows[0]?.ok) {
        runs.inc({ result: 'skipped' });
        return { ran: false };
      }
      try {
        const counts: Record<string, number> = {};
        let batches = 0;
        for (const t of o.targets) {
          const table = `${schema}.${quoteIdent(t.table)}`;
          // ctid = ANY(ARRAY(...)) is a TID scan: the DELETE touches exactly the rows the bounded
          // subquery found through the timestamp index, never the whole table.
          const sql = `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
              SELECT ctid FROM ${table} WHERE ${quoteIdent(t.column)} < now() - make_interval(secs => $1) LIMIT $2))`;
          let count = 0;
          for (;;) {
            if (stopped) break;
            const r = await client.query(sql, [t.keepMs / 1_000, o.batchSize]);
            const n = r.rowCount ?? 0;
            batches += 1;
            count += n;
            if (n > 0) pruned.inc({ table: t.table }, n);
            if (n < o.batchSize) break;
            await sleep(pauseMs);
          }
          counts[t.table] = count;
        }
        runs.inc({ result: 'ok' });
        lastRun.set(Date.now() / 1_000);
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        if (total > 0) o.log.info({ pruned: counts, batches }, 'retention pruned old rows');
        return { ran: true, pruned: counts, batches };
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [retentionLockKey(o.db.schema)]);
      }
    } catch (err) {
      runs.inc({ result: 'failed' });
      const code = (err as { code?: unknown }).code;
      // A connection that failed outside SQL may still hold the lock: destroy it rather than pool it.
      if (!(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  function schedule(ms: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      current = runOnce()
        .catch((err: Error) => {
          // The pool closing under a run is shutdown, not a failure worth a warning.
          if (!stopped && !o.db.pool.ending)
            o.log.warn({ err: err.message }, 'retention run failed; next run as scheduled');
        })
        .finally(() => schedule(o.intervalMs));
    }, ms);
    timer.unref();
  }

  return {
    runOnce: () => {
      const run = runOnce();
      current = run.catch(() => {});
      return run;
    },
    start() {
      schedule(o.firstRunMs ?? Math.floor(Math.random() * Math.min(60_000, o.intervalMs)));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

/** Which window a service table follows: event-dedupe bookkeeping, or provider webhook ids. */
export type RetentionPolicy = 'inbox' | 'webhooks';

export interface ServiceTable {
  readonly table: string;
  readonly column: string;
  readonly policy: RetentionPolicy;
}

/** A target from the configured window of its policy, checked against the horizon that policy protects. */
export function retentionTarget(t: ServiceTable, config: RetentionConfig): RetentionTarget {
  return t.policy === 'inbox'
    ? { ...t, keepMs: config.INBOX_RETENTION_DAYS * DAY_MS, horizonMs: EVENT_DEDUPE_HORIZON_MS }
    : { ...t, keepMs: config.WEBHOOK_RETENTION_DAYS * DAY_MS, horizonMs: WEBHOOK_RETRY_HORIZON_MS };
}

interface RuntimeParts {
  readonly db: Db;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly bus?: unknown;
}

/**
 * What a service's main.ts calls once: prunes the kit's inbox (when the service consumes events)
 * plus the service's own dedupe tables, on the configured schedule, until SIGTERM/SIGINT.
 */
export function startRetention(
  rt: RuntimeParts,
  config: RetentionConfig,
  tables: readonly ServiceTable[] = [],
  opts: { signals?: boolean } = {},
): Retention | undefined {
  if (!config.RETENTION_ENABLED) return undefined;
  const all: ServiceTable[] = [
    ...(rt.bus ? [{ table: 'inbox', column: 'processed_at', policy: 'inbox' as const }] : []),
    ...tables,
  ];
  if (all.length === 0) return undefined;
  const retention = createRetention({
    db: rt.db,
    log: rt.log.child({ component: 'retention' }),
    metrics: rt.metrics,
    targets: all.map((t) => retentionTarget(t, config)),
    intervalMs: config.RETENTION_INTERVAL_SECONDS * 1_000,
    batchSize: config.RETENTION_BATCH_SIZE,
  });
  retention.start();
  // The runtime's shutdown closes the pool; stop first so a DELETE is not cut off mid-way.
  if (opts.signals !== false) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void retention.stop());
  }
  return retention;
}
