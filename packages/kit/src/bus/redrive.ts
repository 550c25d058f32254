import { jetstream } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { Db } from '../db/pool.ts';
import { quoteIdent } from '../db/pool.ts';
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
}

export interface DeadLetterFilter {
  /** Durable consumer name, `<service>-<name>`. */
  readonly consumer?: string;
  readonly ids?: readonly number[];
  /** List only: include dead letters already redriven. */
  readonly includeRedriven?: boolean;
}

export interface RedriveOptions extends DeadLetterFilter {
  readonly db: Db;
  readonly natsUrl: string;
  readonly prefix: string;
  /** Required when neither consumer nor ids is given, so an empty filter cannot redrive everything by accident. */
  readonly all?: boolean;
}

export interface RedriveResult {
  readonly redriven: DeadLetter[];
  /** Dead letters whose message had left the stream before it was captured: nothing to send. */
  readonly skipped: DeadLetter[];
}

const COLUMNS = `id, consumer, stream_seq AS "streamSeq", event_id AS "eventId", subject, error, attempts, reason,
  dead_at AS "deadAt", redriven_at AS "redrivenAt"`;

function where(f: DeadLetterFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  if (!f.includeRedriven) clauses.push('redriven_at IS NULL');
  if (f.consumer) clauses.push(`consumer = $${params.push(f.consumer)}`);
  if (f.ids?.length) clauses.push(`id = ANY($${params.push(f.ids)}::bigint[])`);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export async function listDeadLetters(db: Db, f: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const w = where(f);
  return (
    await db.query<DeadLetter>(
      `SELECT ${COLUMNS} FROM ${quoteIdent(db.schema)}.dead_letters ${w.sql} ORDER BY id`,
      w.params,
    )
  ).rows;
}

/**
 * Publishes dead letters again on their original subject and marks them redriven. The msg id is
 * new (`<eventId>:redrive:<deadLetterId>`) because the stream would drop the original id as a
 * duplicate inside its window; the envelope keeps the event id, so every consumer's inbox still
 * recognises an event it has already applied (including the consumers that never failed it,
 * which receive the redrive too). Redriving the same row twice is a no-op: it is marked, and its
 * msg id is deduplicated.
 */
export async function redrive(o: RedriveOptions): Promise<RedriveResult> {
  checkPrefix(o.prefix);
  if (!o.consumer && !o.ids?.length && !o.all) throw new Error('redrive: pass consumer, ids or all: true');
  const nc = await connect({ servers: o.natsUrl, name: `redrive-${o.db.schema}` });
  const js = jetstream(nc);
  const table = `${quoteIdent(o.db.schema)}.dead_letters`;
  const redriven: DeadLetter[] = [];
  const skipped: DeadLetter[] = [];
  try {
    await o.db.tx(async (tx) => {
      const w = where({ ...o, includeRedriven: false });
      const rows = (
        await tx.query<DeadLetter & { payload: string | null; headers: Record<string, string> }>(
          `SELECT ${COLUMNS}, payload, headers FROM ${table} ${w.sql} ORDER BY id FOR UPDATE SKIP LOCKED`,
          w.params,
        )
      ).rows;
      for (const { payload, headers, ...row } of rows) {
        if (payload === null) {
          skipped.push(row);
          continue;
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
  return { redriven, skipped };
}
