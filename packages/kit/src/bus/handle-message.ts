import type { JsMsg } from '@nats-io/jetstream';
import { context, SpanKind } from '@opentelemetry/api';
import type { EventEnvelope } from '@storefront/contracts';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db, Queryable } from '../db/pool.ts';
import { quoteIdent } from '../db/pool.ts';
import type { Faults } from '../faults.ts';
import { scrubText } from '../log.ts';
import { withSpan } from '../tracing/tracer.ts';
import type { BusMetrics } from './bus-metrics.ts';
import { parseEnvelope } from './envelope.ts';
import { catalogSubject } from './names.ts';
import { EventRejected } from './rejected.ts';
import { retryDelay, type Subscription } from './subscription.ts';
import { contextFromHeaders, headersToRecord } from './trace-headers.ts';

const { escapeLiteral } = pg;

export interface HandleDeps {
  readonly db: Db;
  readonly prefix: string;
  readonly log: Logger;
  readonly metrics: BusMetrics;
  readonly faults?: Faults | undefined;
}

type Result = 'ok' | 'duplicate' | 'error' | 'rejected' | 'poison' | 'skipped';

/**
 * One delivery: parse (poison → terminate at once), then the inbox transaction (commit, THEN ack),
 * or on a handler error roll back, record the error and nak with the backoff delay. Never throws.
 */
export async function handleMessage(d: HandleDeps, sub: Subscription, m: JsMsg): Promise<void> {
  const subject = catalogSubject(d.prefix, m.subject);
  const attempt = m.info.deliveryCount;
  const count = (result: Result) => d.metrics.consumed.inc({ consumer: sub.durable, subject, result });
  // The consumer's filter can be wider than its subjects (one filter_subject on nats-server 2.9).
  if (!sub.subjects.has(subject)) return ack(m, d.log, () => count('skipped'));

  const parsed = parseEnvelope(m.string(), subject);
  if (!parsed.ok) {
    const log = d.log.child({ consumer: sub.durable, subject, seq: m.seq, attempt });
    count('poison');
    log.error({ eventId: parsed.eventId, error: parsed.error }, 'poison event: terminating without retries');
    const failure = { sub, seq: m.seq, eventId: parsed.eventId, subject, attempt, error: parsed.error };
    try {
      await recordFailure(d.db, failure);
      m.term(); // No reason argument: nats-server 2.9 ignores `+TERM <reason>` and redelivers.
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not record the poison event; retrying later');
      m.nak(retryDelay(sub.backoffMs, attempt));
    }
    return;
  }

  const event = parsed.event;
  // One child logger per delivery (each costs the logger's bindings work; this runs per event).
  const elog = d.log.child({ consumer: sub.durable, subject, seq: m.seq, attempt, eventId: event.id });
  d.metrics.lag.observe(
    { consumer: sub.durable, subject },
    Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1e3,
  );
  const stopTimer = d.metrics.handlerDuration.startTimer({ consumer: sub.durable, subject });
  let result: Result;
  try {
    const attrs = {
      'messaging.system': 'nats',
      'messaging.destination.name': m.subject,
      'messaging.message.id': event.id,
      'messaging.consumer.group.name': sub.durable,
    };
    result = await context.with(contextFromHeaders(headersToRecord(m.headers)), () =>
      withSpan(`process ${subject}`, attrs, () => run(d, sub, event, attempt, m.seq, elog), SpanKind.CONSUMER),
    );
  } catch (err) {
    const rejected = err instanceof EventRejected;
    const error = errorText(err);
    count(rejected ? 'rejected' : 'error');
    elog.warn({ error, maxDeliver: sub.maxDeliver }, rejected ? 'event rejected' : 'event handler failed');
    await recordFailure(d.db, { sub, seq: m.seq, eventId: event.id, subject, attempt, error }).catch((e) =>
      elog.error({ err: (e as Error).message }, 'could not record the delivery failure'),
    );
    if (rejected) m.term();
    // On the last delivery a delay would only postpone the dead-letter advisory.
    else if (attempt >= sub.maxDeliver) m.nak();
    else m.nak(retryDelay(sub.backoffMs, attempt));
    return;
  } finally {
    stopTimer();
  }
  // Chaos tests kill the process here: committed but not acked, the case the inbox exists for.
  d.faults?.point(`bus.committed:${sub.durable}`);
  ack(m, elog, () => count(result));
}

async function run(
  d: HandleDeps,
  sub: Subscription,
  event: EventEnvelope,
  attempt: number,
  seq: number,
  log: Logger,
): Promise<Result> {
  const schema = quoteIdent(d.db.schema);
  if (!sub.inbox) {
    await d.faults?.handler(event.subject);
    await sub.handler(event, { tx: NO_TX, attempt, log });
    if (attempt > 1) await clearFailure(d.db, schema, sub.durable, seq).catch(() => {});
    return 'ok';
  }
  const client = await d.db.pool.connect();
  try {
    // BEGIN and the dedupe record in one round trip (simple protocol, so literals: the durable name
    // is ours and the id passed the envelope's uuid check). A failure leaves the transaction open
    // and aborted; the catch below rolls it back.
    const [, inserted] = (await client.query(
      `BEGIN; INSERT INTO ${schema}.inbox (consumer, event_id)
       VALUES (${escapeLiteral(sub.durable)}, ${escapeLiteral(event.id)}) ON CONFLICT DO NOTHING`,
    )) as unknown as [pg.QueryResult, pg.QueryResult];
    if (inserted?.rowCount === 0) {
      // Applied elsewhere (another replica, or before a crash); a failure recorded on an
      // earlier attempt of this message is moot now.
      if (attempt > 1) await clearFailure(client, schema, sub.durable, seq);
      await client.query('COMMIT');
      return 'duplicate';
    }
    await d.faults?.handler(event.subject);
    await sub.handler(event, { tx: client, attempt, log });
    if (attempt > 1) await clearFailure(client, schema, sub.durable, seq);
    await client.query('COMMIT');
    return 'ok';
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

function ack(m: JsMsg, log: Logger, then: () => void): void {
  try {
    m.ack();
    then();
  } catch (err) {
    // Connection gone: the message comes back and the inbox recognises it.
    log.warn({ err: (err as Error).message }, 'ack failed; the redelivery will be deduplicated');
  }
}

interface Failure {
  readonly sub: Subscription;
  readonly seq: number;
  readonly eventId: string | undefined;
  readonly subject: string;
  readonly attempt: number;
  readonly error: string;
}

/** Own statement, outside the rolled-back transaction: the error must survive for the dead letter. */
async function recordFailure(db: Db, f: Failure): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(db.schema)}.delivery_failures
       (consumer, stream_seq, event_id, subject, attempts, last_error, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (consumer, stream_seq) DO UPDATE
       SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error, updated_at = now()`,
    [f.sub.durable, f.seq, f.eventId ?? null, f.subject, f.attempt, f.error],
  );
}

async function clearFailure(q: Queryable, schema: string, consumer: string, seq: number) {
  await q.query(`DELETE FROM ${schema}.delivery_failures WHERE consumer = $1 AND stream_seq = $2`, [consumer, seq]);
}

export function errorText(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return scrubText(`${e.name}: ${e.message}`).slice(0, 4000);
}

/** What an `inbox: false` handler gets as ctx.tx: there is no transaction, and touching it says so. */
const NO_TX = new Proxy(
  {},
  {
    get() {
      throw new Error('ctx.tx is not available: this subscription runs with inbox: false');
    },
  },
) as pg.PoolClient;
