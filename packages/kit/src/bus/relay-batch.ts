import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { context, SpanKind } from '@opentelemetry/api';
import type { EventEnvelope } from '@storefront/contracts';
import pg from 'pg';
import { type Queryable, quoteIdent } from '../db/pool.ts';
import { scrubText } from '../log.ts';
import { withSpan } from '../tracing/tracer.ts';
import { encodeEnvelope } from './envelope.ts';
import { wireSubject } from './names.ts';
import { activeTraceHeaders, contextFromHeaders } from './trace-headers.ts';

const { escapeLiteral } = pg;

interface Row {
  id: string;
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

export interface BatchResult {
  readonly sent: number;
  /** More rows may be waiting: run again without sleeping. */
  readonly more: boolean;
  readonly error?: Error;
}

/**
 * One relay pass in one transaction: rows are locked while published so no other relay can take
 * them, and published_at is written only after each PubAck. A crash between PubAck and COMMIT
 * republishes the batch with the same msg ids, which the stream's duplicate window drops.
 * The transaction-scoped advisory lock lets one replica publish at a time (the others skip),
 * which keeps the stream in outbox order; SKIP LOCKED keeps a second pass from blocking.
 * The batch stops at the first failure so later events never overtake an earlier one.
 */
export async function relayBatch(
  client: pg.PoolClient,
  schema: string,
  js: JetStreamClient,
  prefix: string,
  limit: number,
  connected: () => boolean,
): Promise<BatchResult> {
  const table = `${quoteIdent(schema)}.outbox`;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`relay batch size ${limit} is not a positive integer`);
  // BEGIN, the lock and the rows in one round trip (simple protocol, so no parameters: the lock key
  // is a checked identifier and the limit an integer). The scalar subquery runs once, before the
  // scan: without the lock no row is returned, and the transaction ends with nothing to do.
  const pick = `BEGIN;
    SELECT id, subject, payload, headers, created_at FROM ${table}
     WHERE published_at IS NULL AND (SELECT pg_try_advisory_xact_lock(hashtext(${escapeLiteral(`kit.outbox:${schema}`)})))
     ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  try {
    // A failure in there leaves the transaction open and aborted: the catch below rolls it back.
    const [, picked] = (await client.query(pick)) as unknown as [pg.QueryResult, pg.QueryResult<Row>];
    const rows = picked?.rows ?? [];
    if (rows.length === 0) {
      await client.query('COMMIT');
      return { sent: 0, more: false };
    }
    const sent: string[] = [];
    let error: Error | undefined;
    for (const row of rows) {
      try {
        // While disconnected a publish would only wait out its timeout holding the lock.
        if (!connected()) throw new Error('NATS connection is down');
        await publishRow(js, prefix, row);
        sent.push(row.id);
      } catch (err) {
        error = err as Error;
        await client.query(`UPDATE ${table} SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
          row.id,
          scrubText(error.message).slice(0, 2000),
        ]);
        break;
      }
    }
    // The mark and the COMMIT in one round trip; the ids are uuids this query read, as literals.
    await client.query(
      sent.length
        ? `UPDATE ${table} SET published_at = now(), attempts = attempts + 1
            WHERE id IN (${sent.map((id) => escapeLiteral(id)).join(', ')}); COMMIT`
        : 'COMMIT',
    );
    return { sent: sent.length, more: !error && rows.length === limit, ...(error ? { error } : {}) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

async function publishRow(js: JetStreamClient, prefix: string, row: Row): Promise<void> {
  const subject = wireSubject(prefix, row.subject);
  const envelope = {
    id: row.id,
    subject: row.subject,
    occurredAt: row.created_at.toISOString(),
    payload: row.payload,
  } as EventEnvelope;
  // The publish span continues the trace of the transaction that wrote the row.
  await context.with(contextFromHeaders(row.headers), () =>
    withSpan(
      `publish ${row.subject}`,
      { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': row.id },
      async () => {
        const h = natsHeaders();
        for (const [k, v] of Object.entries(activeTraceHeaders())) h.set(k, v);
        await js.publish(subject, encodeEnvelope(envelope), { msgID: row.id, headers: h });
      },
      SpanKind.PRODUCER,
    ),
  );
}

/** Published rows are kept as long as the stream keeps messages, so the broker can be re-fed from them. */
export const OUTBOX_RETENTION_DAYS = 7;

/** Deletes one slice of old published rows; small slices keep the lock footprint and WAL bursts low. */
export async function pruneOutbox(db: Queryable, schema: string, limit = 5_000): Promise<number> {
  const table = `${quoteIdent(schema)}.outbox`;
  const r = await db.query(
    `DELETE FROM ${table} WHERE id IN (
       SELECT id FROM ${table}
        WHERE published_at IS NOT NULL AND published_at < now() - make_interval(days => $1)
        LIMIT $2)`,
    [OUTBOX_RETENTION_DAYS, limit],
  );
  return r.rowCount ?? 0;
}
