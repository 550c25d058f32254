import type { Counter, Histogram } from 'prom-client';
import type { Db } from '../db/pool.ts';
import { quoteIdent } from '../db/pool.ts';
import type { Metrics } from '../metrics.ts';

export interface BusMetrics {
  readonly published: Counter;
  readonly publishErrors: Counter;
  readonly consumed: Counter<'consumer' | 'subject' | 'result'>;
  readonly handlerDuration: Histogram<'consumer' | 'subject'>;
  readonly lag: Histogram<'consumer' | 'subject'>;
}

/** Event lag spans milliseconds (healthy) to many minutes (a consumer down or backing off). */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The bus's metrics. Depths (outbox pending, dead letters) are read from the tables at scrape
 * time, so every replica reports the same truth and a restart loses nothing.
 */
export function createBusMetrics(metrics: Metrics, db: Db, consumers: () => readonly string[]): BusMetrics {
  const schema = quoteIdent(db.schema);
  const oldest = metrics.gauge('outbox_oldest_pending_seconds', 'Age of the oldest unpublished outbox row');
  metrics.gauge('outbox_pending', 'Outbox rows not yet published', [], async function () {
    const r = await db
      .query<{ n: number; age: number | null }>(
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
           FROM ${schema}.outbox WHERE published_at IS NULL`,
      )
      .catch(() => undefined);
    if (!r?.rows[0]) return;
    this.set(r.rows[0].n);
    oldest.set(r.rows[0].age ?? 0);
  });
  metrics.gauge(
    'dlq_depth',
    'Dead letters waiting (neither redriven nor discarded), per consumer',
    ['consumer'],
    async function () {
      const r = await db
        .query<{ consumer: string; n: number }>(
          `SELECT consumer, count(*)::int AS n FROM ${schema}.dead_letters
          WHERE redriven_at IS NULL AND discarded_at IS NULL GROUP BY consumer`,
        )
        .catch(() => undefined);
      if (!r) return;
      this.reset();
      for (const c of consumers()) this.set({ consumer: c }, 0);
      for (const row of r.rows) this.set({ consumer: row.consumer }, row.n);
    },
  );
  return {
    published: metrics.counter('outbox_published_total', 'Outbox events published to JetStream'),
    publishErrors: metrics.counter('outbox_publish_errors_total', 'Failed attempts to publish an outbox event'),
    consumed: metrics.counter('events_consumed_total', 'Messages handled, by outcome', [
      'consumer',
      'subject',
      'result',
    ]),
    handlerDuration: metrics.histogram('event_handler_duration_seconds', 'Event handler duration', [
      'consumer',
      'subject',
    ]),
    lag: metrics.histogram(
      'event_lag_seconds',
      'Time from an event being recorded to a consumer processing it',
      ['consumer', 'subject'],
      LAG_BUCKETS,
    ),
  };
}
