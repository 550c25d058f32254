import { jetstream } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Db, Queryable } from '../db/pool.ts';
import { quoteIdent } from '../db/pool.ts';
import { DAY_MS } from '../db/retention-config.ts';
import { checkPrefix, wireSubject } from './names.ts';

export interface DeadLetter {
  readonly id: number;
  readonly consumer: string;
  readonly streamSeq: number;
  readonly eventId: string | null;
  readonly subject: string;
  readonly error: string;
  readonly attempts: number;
  readonly reason: 'max_deliveries' | 'terminated';
  readonly deadAt: Date;
  readonly redrivenAt: Date | null;
  /** Set when an operator dismissed it (`--discard`): it no longer waits and is never redriven. */
  readonly discardedAt: Date | null;
  readonly discardedBy: string | null;
  readonly discardReason: string | null;
  /** When the event occurred, for the inbox window (see `eventTime`). */
  readonly eventAt: Date;
}

export interface DeadLetterFilter {
  /** Durable consumer name, `<service>-<name>`. */
  readonly consumer?: string;
  readonly ids?: readonly number[];
  /** List only: include dead letters already redriven. */
  readonly includeRedriven?: boolean;
  /** Include discarded dead letters (list: `--all`; redrive: named ids, to refuse them by name). */
  readonly includeDiscarded?: boolean;
}

export interface RedriveOptions extends DeadLetterFilter {
  readonly db: Db;
  readonly natsUrl: string;
  readonly prefix: string;
  /** Required when neither consumer nor ids is given, so an empty filter cannot redrive everything by accident. */
  readonly all?: boolean;
  /**
   * INBOX_RETENTION_DAYS of the consumers: past it their inbox may no longer hold the event id, so
   * a consumer that applied the event would apply it again. Older dead letters are refused.
   */
  readonly inboxRetentionDays: number;
  /** Redrive dead letters older than the inbox window anyway; each one is logged as a warning. */
  readonly forceStale?: boolean;
  readonly log?: Logger;
  readonly now?: Date;
}

/** A dead letter whose event is older than the inbox window, with its age. */
export type StaleDeadLetter = DeadLetter & { readonly ageMs: number };

export interface RedriveResult {
  readonly redriven: DeadLetter[];
  /** Dead letters whose message had left the stream before it was captured: nothing to send. */
  readonly skipped: DeadLetter[];
  /** Older than the inbox window and left waiting (no forceStale). */
  readonly refused: StaleDeadLetter[];
  /** Older than the inbox window and redriven anyway (forceStale); also in `redriven`. */
  readonly forced: StaleDeadLetter[];
  /** Named by id but discarded by an operator: never redriven. */
  readonly discarded: DeadLetter[];
}

const COLUMNS = `id, consumer, stream_seq AS "streamSeq", event_id AS "eventId", subject, error, attempts, reason,
  dead_at AS "deadAt", redriven_at AS "redrivenAt", discarded_at AS "discardedAt", discarded_by AS "discardedBy",
  discard_reason AS "discardReason"`;

function where(f: DeadLetterFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  if (!f.includeRedriven) clauses.push('redriven_at IS NULL');
  if (!f.includeDiscarded) clauses.push('discarded_at IS NULL');
  if (f.consumer) clauses.push(`consumer = $${params.push(f.consumer)}`);
  if (f.ids?.length) clauses.push(`id = ANY($${params.push(f.ids)}::bigint[])`);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * When a dead letter's event occurred, as far as the inbox window goes. Consumers record the event when they
 * apply it, never before it occurred, so the envelope's `occurredAt` bounds their inbox rows from
 * below; `deadAt` alone would make a redrive that died again look young. Without a readable
 * `occurredAt` (poison), or with one later than the death, the death counts.
 */
export function eventTime(payload: string | null, deadAt: Date): Date {
  let at = deadAt.getTime();
  if (payload !== null) {
    try {
      const occurredAt: unknown = (JSON.parse(payload) as { occurredAt?: unknown }).occurredAt;
      const t = typeof occurredAt === 'string' ? Date.parse(occurredAt) : Number.NaN;
      if (t < at) at = t;
    } catch {
      // Not JSON, or JSON without fields: the death counts.
    }
  }
  return new Date(at);
}

const days = (ms: number) => (ms / DAY_MS).toFixed(1);

const staleFacts = (d: StaleDeadLetter, windowDays: number) =>
  `dead letter #${d.id} of ${d.consumer}: event ${d.eventId ?? '(no id)'} is ${days(d.ageMs)} days old, ` +
  `older than the ${windowDays}-day inbox window (INBOX_RETENTION_DAYS)`;

/** Why a stale dead letter is refused, naming what to check and the flag that overrides it. */
export function staleMessage(d: StaleDeadLetter, windowDays: number): string {
  return (
    `${staleFacts(d, windowDays)}. Consumers of ${d.subject} that applied it may have pruned its inbox row ` +
    'and would apply it again. Check that none did, then redrive it with --force-stale.'
  );
}

/** The warning for a stale dead letter redriven on purpose. */
export function forcedMessage(d: StaleDeadLetter, windowDays: number): string {
  return `--force-stale: redriving ${staleFacts(d, windowDays)}; a consumer of ${d.subject} whose inbox row is pruned applies it again`;
}

/** Why a discarded dead letter named for a redrive is refused. */
export function discardedMessage(d: DeadLetter): string {
  return (
    `dead letter #${d.id} of ${d.consumer} was discarded by ${d.discardedBy} at ${d.discardedAt?.toISOString()} ` +
    `("${d.discardReason}"); a discarded dead letter is never redriven`
  );
}

/** Rows of dead_letters with the given filter, `payload` read for the event time. */
export async function selectDeadLetters(
  q: Queryable,
  schema: string,
  f: DeadLetterFilter,
  lock = '',
): Promise<DeadLetter[]> {
  const w = where(f);
  const rows = await q.query<Omit<DeadLetter, 'eventAt'> & { payload: string | null }>(
    `SELECT ${COLUMNS}, payload FROM ${quoteIdent(schema)}.dead_letters ${w.sql} ORDER BY id ${lock}`,
    w.params,
  );
  return rows.rows.map(({ payload, ...row }) => ({ ...row, eventAt: eventTime(payload, row.deadAt) }));
}

export const listDeadLetters = (db: Db, f: DeadLetterFilter = {}): Promise<DeadLetter[]> =>
  selectDeadLetters(db, db.schema, f);

/**
 * Publishes dead letters again on their original subject and marks them redriven. The msg id is
 * new (`<eventId>:redrive:<deadLetterId>`) because the stream would drop the original id as a
 * duplicate inside its window; the envelope keeps the event id, so every consumer's inbox still
 * recognises an event it has already applied (including the consumers that never failed it,
 * which receive the redrive too). Redriving the same row twice is a no-op: it is marked, and its
 * msg id is deduplicated. That recognition lasts as long as the inbox keeps the id: a dead letter
 * older than `inboxRetentionDays` is refused (left waiting) unless `forceStale` is set. A discarded
 * dead letter is never redriven; named by id, it is returned in `discarded`.
 */
export async function redrive(o: RedriveOptions): Promise<RedriveResult> {
  checkPrefix(o.prefix);
  if (!o.consumer && !o.ids?.length && !o.all) throw new Error('redrive: pass consumer, ids or all: true');
  if (!(o.inboxRetentionDays > 0)) throw new Error('redrive: inboxRetentionDays must be a positive number of days');
  const windowMs = o.inboxRetentionDays * DAY_MS;
  const now = o.now ?? new Date();
  const nc = await connect({ servers: o.natsUrl, name: `redrive-${o.db.schema}` });
  const js = jetstream(nc);
  const table = `${quoteIdent(o.db.schema)}.dead_letters`;
  const redriven: DeadLetter[] = [];
  const skipped: DeadLetter[] = [];
  const refused: StaleDeadLetter[] = [];
  const forced: StaleDeadLetter[] = [];
  const discarded: DeadLetter[] = [];
  try {
    await o.db.tx(async (tx) => {
      // Discarded rows named by id are read so that they are refused by name, not silently passed over.
      const w = where({ ...o, includeRedriven: false, includeDiscarded: Boolean(o.ids?.length) });
      const rows = (
        await tx.query<Omit<DeadLetter, 'eventAt'> & { payload: string | null; headers: Record<string, string> }>(
          `SELECT ${COLUMNS}, payload, headers FROM ${table} ${w.sql} ORDER BY id FOR UPDATE SKIP LOCKED`,
          w.params,
        )
      ).rows;
      for (const { payload, headers, ...dead } of rows) {
        const row: DeadLetter = { ...dead, eventAt: eventTime(payload, dead.deadAt) };
        if (row.discardedAt) {
          discarded.push(row);
          continue;
        }
        if (payload === null) {
          skipped.push(row);
          continue;
        }
        const ageMs = now.getTime() - row.eventAt.getTime();
        const stale = ageMs >= windowMs ? { ...row, ageMs } : undefined;
        if (stale && !o.forceStale) {
          refused.push(stale);
          continue;
        }
        if (stale) {
          forced.push(stale);
          o.log?.warn(
            { deadLetter: row.id, eventId: row.eventId, consumer: row.consumer, ageDays: Number(days(ageMs)) },
            forcedMessage(stale, o.inboxRetentionDays),
          );
        }
        const h = natsHeaders();
        for (const [k, v] of Object.entries(headers)) if (!k.startsWith('nats-')) h.set(k, v);
        h.set('storefront-redrive-of', String(row.id));
        // A failure aborts the transaction: nothing is marked, and a rerun re-sends with the same
        // msg ids, which the stream deduplicates.
        await js.publish(wireSubject(o.prefix, row.subject), payload, {
          msgID: `${row.eventId ?? 'unknown'}:redrive:${row.id}`,
          headers: h,
        });
        const marked = await tx.query<{ redrivenAt: Date }>(
          `UPDATE ${table} SET redriven_at = now() WHERE id = $1 RETURNING redriven_at AS "redrivenAt"`,
          [row.id],
        );
        redriven.push({ ...row, redrivenAt: marked.rows[0]?.redrivenAt ?? new Date() });
      }
    });
  } finally {
    await nc.drain().catch(() => {});
  }
  return { redriven, skipped, refused, forced, discarded };
}
